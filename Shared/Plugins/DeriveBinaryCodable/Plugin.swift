import Foundation
import PackagePlugin

/// Derives the `BinaryCodable` conformances a target lists in `binary-codable.list` (at the target's root) from the
/// struct declarations of the target and of the targets it depends on, so that a model and its binary conformance
/// cannot drift apart: adding a field to `Ticket` is one edit.
@main
struct DeriveBinaryCodable: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let list = target.directoryURL.appending(path: "binary-codable.list")
        var sources = target.sourceFiles(withSuffix: "swift").map(\.url)
        for case .target(let dependency) in target.dependencies {
            if let module = dependency as? SourceModuleTarget { sources += module.sourceFiles(withSuffix: "swift").map(\.url) }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "\(target.name)+BinaryCodable.swift")
        return [.buildCommand(
            displayName: "Deriving the binary conformances of \(target.name)",
            executable: try context.tool(named: "derive-binary-codable").url,
            arguments: [list.path, output.path] + sources.map(\.path),
            inputFiles: [list] + sources,
            outputFiles: [output])]
    }
}
