import Foundation
import Launcher

exit(await LauncherCLI.run(Array(CommandLine.arguments.dropFirst())))
