import Foundation
import Observability
import Posix
import Synchronization
import Wire

/// Serves a ``Router`` on a Unix domain socket: many connections, many in-flight calls each.
///
/// Every server also answers `health.v1/Check` (NOT_SERVING while draining or while the service says it cannot work:
/// `isHealthy`, which must answer at once), `info.v1/Get` and `diagnostics.v1/Echo`. A call whose
/// deadline passes is answered DEADLINE_EXCEEDED and its handler cancelled; a handler that throws an
/// unexpected error is answered INTERNAL (details go to the log) and the server keeps serving.
public final class RPCServer: Sendable {
    /// Identity reported by `info.v1/Get`.
    public struct Identity: Sendable {
        public var service: String
        public var version: String
        public var instance: Int
        public var details: [String: String]

        public init(service: String, version: String, instance: Int = 0, details: [String: String] = [:]) {
            self.service = service
            self.version = version
            self.instance = instance
            self.details = details
        }
    }

    private struct State {
        var listener: FileDescriptor?
        var connections: [ObjectIdentifier: ServerConnection] = [:]
        var details: [String: String] = [:]
    }

    /// The socket path.
    public let socketPath: String
    let codec: any MessageCodec
    let logger: Logger
    let maxFrameSize: Int
    private let router: Router
    private let identity: Identity
    /// Whether the service can do its work (storage: its database answers); health says NOT_SERVING while not.
    private let isHealthy: @Sendable () -> Bool
    private let latency: CallLatencyMetric?
    /// Every method (the router's, health and info), filled once in `init`.
    private let table = MethodTableBox()
    private let startedAt = Monotonic.nanoseconds()
    private let state = Mutex(State())
    /// Calls being handled: counted on every call by every connection, so not under `state`'s lock.
    private let inFlight = Atomic<Int>(0)
    /// Set once by ``drain(grace:)`` or ``stop()``; read on every call.
    private let draining = Atomic<Bool>(false)
    /// The drain waiting for the last call in flight to end (resumed by that call, or by the grace period's end).
    private let drained = Mutex<CheckedContinuation<Void, Never>?>(nil)

    /// Creates a server; call ``start()`` to listen.
    public init(
        socketPath: String, router: Router, identity: Identity, codec: any MessageCodec = defaultMessageCodec,
        logger: Logger, metrics: MetricsRegistry? = nil, maxFrameSize: Int = 4 << 20,
        isHealthy: @escaping @Sendable () -> Bool = { true }
    ) {
        self.socketPath = socketPath
        self.isHealthy = isHealthy
        self.identity = identity
        self.codec = codec
        self.logger = logger
        self.latency = metrics.map {
            CallLatencyMetric(registry: $0, name: "smart_ticket_rpc_server_seconds", help: "Server-side RPC latency by method and status.")
        }
        self.maxFrameSize = maxFrameSize
        var router = router
        router.registerBlocking(StandardMethods.echo) { message, _ in message }
        self.router = router
        state.withLock { $0.details = identity.details }
        var methods = MethodTable()
        for name in router.methods {
            methods.add(name, handler: router.handler(for: name)!, answersWhileDraining: false, latency: latency)
        }
        methods.add(StandardMethods.health.fullName, handler: healthHandler, answersWhileDraining: true, latency: latency)
        methods.add(StandardMethods.info.fullName, handler: infoHandler, answersWhileDraining: true, latency: latency)
        table.methods = methods
    }

    /// Binds the socket and starts accepting on a background thread.
    /// A socket file that nobody answers on (left by a crash) is replaced; a live one is an error.
    public func start() throws {
        try SocketFile.claim(socketPath)
        let listener = try Socket.listenUnix(path: socketPath)
        _ = chmod(socketPath, 0o600)
        state.withLock { $0.listener = listener }
        let thread = Thread { [self] in acceptLoop(listener) }
        thread.name = "rpc-accept"
        thread.start()
        logger.info("rpc server listening", ["socket": .string((socketPath as NSString).lastPathComponent), "methods": .int(table.methods.names.count)])
    }

    /// Adds or replaces a detail reported by `info.v1/Get`.
    public func setDetail(_ key: String, _ value: String) {
        state.withLock { $0.details[key] = value }
    }

    /// Whether the server has begun draining.
    public var isDraining: Bool { draining.load(ordering: .acquiring) }

    /// The number of calls being handled.
    public var inFlightCalls: Int { inFlight.load(ordering: .acquiring) }

    /// Stops taking new calls (health turns NOT_SERVING, others get UNAVAILABLE), waits up to
    /// `grace` seconds for in-flight calls, then closes every connection and removes the socket.
    public func drain(grace: Double) async {
        draining.store(true, ordering: .sequentiallyConsistent)
        logger.info("draining", ["in_flight": .int(inFlightCalls)])
        // Woken by the last call to end (``callEnded()``), not by polling; the grace period bounds the wait.
        var timeout: Task<Void, Never>?
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            drained.withLock { $0 = continuation }
            if inFlight.load(ordering: .sequentiallyConsistent) == 0 { resumeDrain() }   // nothing in flight, or it ended just now
            timeout = Task { [self] in
                try? await Task.sleep(nanoseconds: UInt64(max(0, grace) * 1e9))
                resumeDrain()
            }
        }
        timeout?.cancel()
        stop()
    }

    /// Closes the listener and every connection at once, and removes the socket file.
    public func stop() {
        draining.store(true, ordering: .releasing)
        let (listener, connections) = state.withLock { state -> (FileDescriptor?, [ServerConnection]) in
            defer { state.listener = nil }
            return (state.listener, Array(state.connections.values))
        }
        if let listener {
            // Wakes the accept thread, which closes the listener itself: the descriptor number is
            // never closed under a thread still using it.
            Socket.shutdown(listener)
            unlink(socketPath)
        }
        for connection in connections { connection.shutdown() }
    }

    private func acceptLoop(_ listener: FileDescriptor) {
        Socket.acceptLoop(listener, isStopped: { state.withLock { $0.listener == nil } },
                          outOfDescriptors: { logger.error("accept failed: too many open files") }) { fd in
            let connection = ServerConnection(fd: fd, server: self)
            let accepted = state.withLock { state -> Bool in
                guard state.listener != nil else { return false }
                state.connections[ObjectIdentifier(connection)] = connection
                return true
            }
            guard accepted else {
                fd.close()
                return false
            }
            connection.start()
            return true
        }
    }

    // MARK: - For connections

    /// The method named by the UTF-8 bytes `name`, if any.
    func method(named name: UnsafeRawBufferPointer) -> MethodTable.Entry? {
        table.methods.entry(named: name)
    }

    func callStarted() { inFlight.add(1, ordering: .relaxed) }
    func callEnded() {
        if inFlight.subtract(1, ordering: .sequentiallyConsistent).newValue == 0, draining.load(ordering: .sequentiallyConsistent) {
            resumeDrain()
        }
    }

    /// Resumes the drain waiting for calls to end, if any (once: the continuation is taken).
    private func resumeDrain() {
        drained.withLock { waiting -> CheckedContinuation<Void, Never>? in
            defer { waiting = nil }
            return waiting
        }?.resume()
    }

    func connectionClosed(_ connection: ServerConnection) {
        _ = state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(connection)) }
    }

    /// The status to send for an error thrown by a handler.
    func status(for error: any Error, method: String) -> RPCError {
        switch error {
        case let error as RPCError:
            if error.code == .internalError { logger.error("handler failed", ["method": .string(method)]) }
            return error
        case is CancellationError:
            return RPCError(.cancelled, "call cancelled")
        default:
            logger.error("handler threw an unexpected error", ["method": .string(method), "error": .string(String(describing: type(of: error)))])
            return RPCError.internalError()
        }
    }

    private var healthHandler: Router.Handler {
        { [self] _, _ in
            let response = HealthCheckResponse(status: isDraining || !isHealthy() ? .notServing : .serving)
            return .immediate { _, codec, out in try codec.encode(response, appendingTo: &out) }
        }
    }

    private var infoHandler: Router.Handler {
        { [self] _, _ in
            let details = state.withLock { $0.details }
            let info = InfoResponse(
                service: identity.service, version: identity.version, instance: identity.instance, pid: getpid(),
                uptimeSeconds: Double(Monotonic.nanoseconds() - startedAt) / 1e9, details: details)
            return .immediate { _, codec, out in try codec.encode(info, appendingTo: &out) }
        }
    }
}

/// The server's method table, written once during `RPCServer.init` (its handlers capture the
/// server) and only read afterwards.
final class MethodTableBox: @unchecked Sendable {
    var methods = MethodTable()
}
