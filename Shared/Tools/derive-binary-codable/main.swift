import BinaryCodableDerivation
import Foundation

// derive-binary-codable LIST OUTPUT SOURCE...: writes OUTPUT, the BinaryCodable conformances LIST names, derived from
// the struct declarations in the SOURCE files (run by the DeriveBinaryCodable build plugin).
let arguments = CommandLine.arguments.dropFirst()
guard arguments.count >= 2, arguments.first != "--help" else {
    print("usage: derive-binary-codable LIST OUTPUT SOURCE...\nWrites OUTPUT: the BinaryCodable conformances LIST names, derived from the struct declarations in the SOURCE files.")
    exit(arguments.first == "--help" ? 0 : 2)
}
let paths = Array(arguments)
do {
    var declarations = SwiftDeclarations()
    for source in paths.dropFirst(2) { declarations.read(try String(contentsOfFile: source, encoding: .utf8)) }
    let generated = try BinaryCodableSource.generate(list: try String(contentsOfFile: paths[0], encoding: .utf8), declarations: declarations)
    // Unchanged output keeps its modification time, so what depends on it is not compiled again.
    if (try? String(contentsOfFile: paths[1], encoding: .utf8)) != generated {
        try generated.write(toFile: paths[1], atomically: true, encoding: .utf8)
    }
} catch {
    FileHandle.standardError.write(Data("derive-binary-codable: \(paths[0]): \(error)\n".utf8))
    exit(1)
}
