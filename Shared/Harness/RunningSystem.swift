import Contracts
import Foundation
import RPC

/// A real `smart-ticket serve` started by a test, with its own run and data directories.
public final class RunningSystem: @unchecked Sendable {
    public let directory: TemporaryDirectory
    public let runDirectory: RunDirectory
    public let process: Process
    public let logPath: String
    public let outputPath: String
    /// Whether this system still holds one of the `SystemSlots`.
    private let holdsSlot = Locked(true)

    /// Starts the launcher with `extraArguments` and waits until every instance is SERVING.
    public init(extraArguments: [String] = [], environment: [String: String] = [:], binDir: String? = nil,
                waitUntilServing: Bool = true) async throws {
        await SystemSlots.shared.acquire()
        directory = TemporaryDirectory()
        runDirectory = RunDirectory(path: directory.file("run"))
        logPath = directory.file("launcher.log")
        outputPath = directory.file("launcher.out")
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: Executables.path("smart-ticket"))
        process.arguments = ["serve", "--run-dir", runDirectory.path, "--data-dir", directory.file("data"), "--http-port", "0"]
            + (binDir.map { ["--bin-dir", $0] } ?? []) + extraArguments
        var env = ProcessInfo.processInfo.environment
        // Tests run debug builds, several systems at once on two cores: a fresh tenant's first
        // recommendation (scoring loads and learns the tenant) can take over the default 10 s there.
        env["SMART_TICKET_RPC_TIMEOUT_SECONDS"] = env["SMART_TICKET_RPC_TIMEOUT_SECONDS"] ?? "30"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        do {
            try process.run()
        } catch {
            releaseSlot()
            throw error
        }
        if waitUntilServing { try await self.waitUntilServing(timeout: 60) }
    }

    /// The launcher's view of every instance.
    public func status(timeout: Double = 2) async throws -> LauncherContract.StatusResponse {
        let client = LauncherClient(service: "launcher", socketPaths: [runDirectory.launcherSocket], connectionsPerInstance: 1)
        defer { client.close() }
        return try await client.call(LauncherContract.status, .init(), timeout: timeout)
    }

    /// Waits until every instance reports SERVING.
    public func waitUntilServing(timeout: Double) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !process.isRunning { throw SystemError("launcher exited with \(process.terminationStatus): \(log.suffix(2000))") }
            // Serving, and start-up (including --demo) finished: the launcher's last start-up line is out.
            if output.contains("Run directory:"), let status = try? await status(timeout: 1),
               status.instances.allSatisfy({ $0.health == "SERVING" }) { return }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw SystemError("system not SERVING within \(timeout) s: \(log.suffix(2000))")
    }

    /// What the launcher and children wrote to standard error.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// What the launcher printed to standard output.
    public var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// The URL printed by the launcher.
    public var url: String? {
        guard let range = output.range(of: #"http://[0-9.]+:[0-9]+/"#, options: .regularExpression) else { return nil }
        return String(output[range])
    }

    /// A client for `kind`'s instances, typed by the caller (`let storage: StorageClient = system.client(.storage)`).
    public func client<Service>(_ kind: ServiceKind, instances: Int = 1) -> ServiceClient<Service> {
        ServiceClient(rpcClient(kind, instances: instances))
    }

    /// An untyped client for `kind`'s instances, for the standard methods (health, info).
    public func rpcClient(_ kind: ServiceKind, instances: Int = 1) -> RPCClient {
        RPCClient(service: kind.rawValue, socketPaths: runDirectory.sockets(kind, count: instances))
    }

    /// Sends SIGTERM and waits for the launcher to exit; returns its exit status.
    @discardableResult
    public func stop(timeout: Double = 30) async -> Int32 {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try? await Task.sleep(nanoseconds: 20_000_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        releaseSlot()
        return process.terminationStatus
    }

    /// Waits for the launcher to exit by itself; nil on timeout.
    public func waitForExit(timeout: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try? await Task.sleep(nanoseconds: 20_000_000) }
        if process.isRunning { return nil }
        releaseSlot()
        return process.terminationStatus
    }

    /// Gives the system's slot back once (when it stopped, or when the test dropped it).
    private func releaseSlot() {
        let held = holdsSlot.withLock { held -> Bool in
            defer { held = false }
            return held
        }
        if held { Task { await SystemSlots.shared.release() } }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        releaseSlot()
    }
}

/// A test-harness failure with context.
public struct SystemError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
