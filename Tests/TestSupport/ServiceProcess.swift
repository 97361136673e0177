import Contracts
import Foundation
import Harness
import RPC

/// One service executable started directly on a private socket (no launcher), for tests.
public final class ServiceProcess: @unchecked Sendable {
    public let kind: ServiceKind
    public let directory: TemporaryDirectory
    public let socket: String
    public let process: Process

    /// Starts `kind` with its data in a fresh directory and waits until it is SERVING.
    public init(_ kind: ServiceKind, environment: [String: String] = [:], arguments: [String] = []) async throws {
        self.kind = kind
        directory = TemporaryDirectory(prefix: kind.rawValue)
        socket = directory.file("\(kind.rawValue)-0.sock")
        process = Process()
        process.executableURL = URL(fileURLWithPath: Executables.path(kind.executableName))
        process.arguments = ["--socket", socket, "--run-dir", directory.path] + arguments
        var env = ProcessInfo.processInfo.environment
        env["SMART_TICKET_DATA_DIR"] = directory.file("data")
        env["SMART_TICKET_LOG_LEVEL"] = "warning"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        try process.run()
        let client = rpcClient()
        defer { client.close() }
        // A bound on a wait, not on speed: at the start of a full run on two cores, synchronous tests can hold
        // the test process's threads for half a minute.
        let deadline = Date().addingTimeInterval(Self.startupWait)
        while Date() < deadline {
            if let health = try? await client.call(StandardMethods.health, HealthCheckRequest(), timeout: 0.5), health.status == .serving {
                return
            }
            guard process.isRunning else { throw SystemError("\(kind.executableName) exited with \(process.terminationStatus)") }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        throw SystemError("\(kind.executableName) not SERVING within \(Int(Self.startupWait)) s")
    }

    /// How long a started service may take to answer SERVING.
    static let startupWait: Double = 120

    /// A client for this process, typed by the caller (`let storage: StorageClient = process.client()`).
    public func client<Service>(timeout: Double = 30) -> ServiceClient<Service> {
        ServiceClient(rpcClient(timeout: timeout))
    }

    /// An untyped client for this process, for the standard methods (health, info).
    public func rpcClient(timeout: Double = 30) -> RPCClient {
        RPCClient(service: kind.rawValue, socketPaths: [socket], defaultTimeout: timeout)
    }

    /// The database file (storage only).
    public var databasePath: String { directory.file("data/smart-ticket.sqlite") }

    /// SIGTERM, wait, and remove the directory.
    public func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        directory.remove()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
