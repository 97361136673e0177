import Bench
import Foundation

exit(await BenchCLI.run(Array(CommandLine.arguments.dropFirst())))
