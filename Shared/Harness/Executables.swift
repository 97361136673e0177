import Foundation

/// Finds the project's built executables next to the test bundle (`.build/debug` or `.build/release`).
public enum Executables {
    /// The directory holding `smart-ticket` and the service executables.
    public static var directory: String {
        if let explicit = ProcessInfo.processInfo.environment["SMART_TICKET_BIN_DIR"] { return explicit }
        var candidate = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            if FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("smart-ticket").path) {
                return candidate.path
            }
            candidate = candidate.deletingLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath + "/.build/debug"
    }

    /// The full path of executable `name`.
    public static func path(_ name: String) -> String { "\(directory)/\(name)" }
}
