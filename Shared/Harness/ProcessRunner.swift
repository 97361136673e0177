import Foundation

/// Runs a command to completion, capturing its output.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Starts and stops the real executables in integration tests.
public enum ProcessRunner {
    /// Runs `path` with `arguments` and waits for it on a thread outside the cooperative pool, so
    /// tests running in parallel are not starved while a child runs.
    public static func run(_ path: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> CommandResult {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try runBlocking(path, arguments, environment: environment) })
            }
            thread.start()
        }
    }

    /// Runs `path` with `arguments` and waits for it, blocking the calling thread.
    public static func runBlocking(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }
}
