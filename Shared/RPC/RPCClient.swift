import Observability
import Posix
import Synchronization
import Wire

/// Calls one service over its instances' Unix sockets.
///
/// Calls are multiplexed over a small pool of connections per instance and spread over instances (in turn, or each
/// tenant's to one instance: ``InstanceChoice``);
/// an instance that cannot be reached is skipped for a jittered backoff period. Only failures known
/// not to have reached a handler (connection refused, or the server answering UNAVAILABLE) are
/// retried, on another instance when there is one, and never past the call's deadline.
///
/// A client made with ``BlockingCallers/waitInPlace`` (the gateway's) treats a call that is alone (no other call of
/// this client in flight) from a thread that may block (``Posix/BlockingThread``, such as the gateway's HTTP
/// connection threads) differently: it takes a
/// connection of its own from a per-instance pool and waits for its answer in place
/// (``DirectConnection``): the answer wakes that thread directly rather than a reader thread and
/// then a pool thread. With other calls in flight the multiplexed connections are used: there the
/// reader threads and the servers handle several frames per wake-up, which under load costs less
/// than a wake-up per call (measured on the recommendation route: direct calls for every caller
/// raised scoring and storage CPU per request by a fifth). Same statuses, retries and deadlines
/// either way.
public final class RPCClient: Sendable {
    /// The service name, for logs and errors.
    public let service: String
    let instances: [ClientInstance]
    let codec: any MessageCodec
    let defaultTimeout: Double
    let maxFrameSize: Int
    /// Whether a lone call from a blocking thread waits in place (``BlockingCallers``).
    let blockingCallers: BlockingCallers
    /// Which instance a call goes to first.
    let instanceChoice: InstanceChoice
    /// Set for a client of a router in this process (``init(service:router:codec:defaultTimeout:)``), which has no instances.
    let inProcess: InProcessEndpoint?
    private let next = Mutex(0)
    private let callsInFlight = Atomic<Int>(0)
    private let latency: CallLatencyMetric?

    /// Creates a client for `service` reachable at `socketPaths` (one per instance).
    public init(
        service: String, socketPaths: [String], connectionsPerInstance: Int = 2,
        codec: any MessageCodec = defaultMessageCodec, defaultTimeout: Double = 10,
        maxFrameSize: Int = 4 << 20, metrics: MetricsRegistry? = nil, blockingCallers: BlockingCallers = .suspend,
        instanceChoice: InstanceChoice = .roundRobin
    ) {
        precondition(!socketPaths.isEmpty, "a client needs at least one socket")
        self.service = service
        self.instances = socketPaths.map {
            ClientInstance(path: $0, connections: connectionsPerInstance, maxFrameSize: maxFrameSize)
        }
        self.codec = codec
        self.maxFrameSize = maxFrameSize
        self.defaultTimeout = defaultTimeout
        self.inProcess = nil
        self.blockingCallers = blockingCallers
        self.instanceChoice = instanceChoice
        self.latency = metrics.map {
            CallLatencyMetric(registry: $0, name: "smart_ticket_rpc_client_seconds", help: "Client-side RPC latency by method and status.")
        }
    }

    /// A client of `router` in this process, for unit tests of a service's handlers without sockets (one instance).
    /// Requests and responses go through `codec`; statuses, field-naming decode errors and deadlines are a server's
    /// (``InProcessEndpoint``). Integration tests use the real executables instead.
    public init(service: String, router: Router, codec: any MessageCodec = defaultMessageCodec, defaultTimeout: Double = 10,
                logger: Logger = Logger(label: "in-process", sink: .discard)) {
        self.service = service
        self.instances = []
        self.codec = codec
        self.maxFrameSize = .max
        self.defaultTimeout = defaultTimeout
        self.inProcess = InProcessEndpoint(router: router, logger: logger)
        self.blockingCallers = .suspend
        self.instanceChoice = .roundRobin
        self.latency = nil
    }

    /// The frame of a call of `method` with `request`; RESOURCE_EXHAUSTED when it exceeds the frame size limit.
    @inline(__always)
    func requestFrame<Request, Response>(_ method: MethodDescriptor<Request, Response>, _ request: Request,
                                         metadata: Metadata) throws -> RequestFrame {
        do {
            return try EnvelopeFormat.requestFrame(method: method.fullName, metadata: metadata, maxFrameSize: maxFrameSize) { buffer in
                try codec.encode(request, appendingTo: &buffer)
            }
        } catch is FrameError {
            throw RPCError(.resourceExhausted, "request exceeds the frame size limit of \(maxFrameSize) bytes")
        }
    }

    /// Calls `method` with `request`, waiting at most `timeout` seconds (the client default if nil)
    /// or until `deadline`, whichever comes first.
    public func call<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, _ request: Request,
        metadata: Metadata = Metadata(), timeout: Double? = nil, deadline: Deadline? = nil
    ) async throws -> Response {
        var callDeadline = Deadline.after(seconds: timeout ?? defaultTimeout)
        if let deadline, deadline < callDeadline { callDeadline = deadline }
        if let inProcess { return try await callInProcess(inProcess, method, request, metadata: metadata, deadline: callDeadline) }
        var frame = try requestFrame(method, request, metadata: metadata)
        let started = Monotonic.nanoseconds()
        do {
            let alone = callsInFlight.add(1, ordering: .relaxed).oldValue == 0
            defer { callsInFlight.subtract(1, ordering: .relaxed) }
            let codec = self.codec
            let service = self.service
            let tenant = instanceChoice == .byTenant ? metadata.tenant : nil
            let response = try await callWithRetries(frame: &frame, deadline: callDeadline, tenant: tenant, direct: blockingCallers == .waitInPlace && alone && BlockingThread.isCurrent) { bytes in
                do {
                    return try codec.decode(Response.self, from: bytes)
                } catch {
                    throw RPCError.internalError("malformed response from \(service)")
                }
            }
            record(method.fullName, .ok, started)
            return response
        } catch let error as RPCError {
            record(method.fullName, error.code, started)
            throw error
        }
    }

    /// ``call(_:_:metadata:timeout:deadline:)`` on a router in this process.
    private func callInProcess<Request, Response>(
        _ endpoint: InProcessEndpoint, _ method: MethodDescriptor<Request, Response>, _ request: Request, metadata: Metadata, deadline: Deadline
    ) async throws -> Response {
        var bytes: [UInt8] = []
        try codec.encode(request, appendingTo: &bytes)
        let body = try await endpoint.call(method: method.fullName, request: bytes, codec: codec, metadata: metadata, deadline: deadline)
        do {
            return try body.withUnsafeBytes { try codec.decode(Response.self, from: $0) }
        } catch {
            throw RPCError.internalError("malformed response from \(service)")
        }
    }

    /// Direct connections kept idle for blocking callers, over every instance.
    var idleDirectConnections: Int { instances.reduce(0) { $0 + $1.idleDirectCount } }

    /// Closes every connection.
    public func close() {
        for instance in instances { instance.close() }
    }

    /// Calls until answered, retrying what never reached a handler; `decode` makes the response of
    /// an OK answer's body (read in place on a direct call) and throws ``RPCError``. `direct`: the
    /// first attempt on each instance waits in place (``callDirect(_:frame:deadline:decode:)``);
    /// after a backoff sleep the task may run on another thread, so later rounds are multiplexed.
    private func callWithRetries<Response>(
        frame: inout RequestFrame, deadline: Deadline, tenant: String?, direct: Bool, decode: (UnsafeRawBufferPointer) throws -> Response
    ) async throws -> Response {
        var direct = direct
        var backoff = Backoff(initial: 0.01, maximum: 0.5, multiplier: 2, jitter: 0.2)
        var lastError = RPCError.unavailable("\(service) is unavailable")
        while true {
            if Task.isCancelled { throw RPCError(.cancelled, "call cancelled") }
            if deadline.hasPassed {
                throw lastError.code == .unavailable ? lastError : RPCError(.deadlineExceeded, "deadline exceeded")
            }
            for instance in orderedInstances(tenant: tenant) {
                do {
                    if direct { return try callDirect(instance, frame: &frame, deadline: deadline, decode: decode) }
                    let connection = try instance.connection()
                    let body = try await connection.call(frame: &frame, deadline: deadline)
                    return try body.withUnsafeBytes(decode)
                } catch let failure as NotSent {
                    lastError = failure.error
                } catch let error as RPCError where error.isRefusedUnrun {
                    // The server refused the call without running it (it is draining).
                    instance.markDown()
                    lastError = error
                }
                if deadline.hasPassed { break }
            }
            let delay = min(backoff.next(), deadline.remainingSeconds)
            if delay > 0 {
                direct = false
                try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            }
        }
    }

    /// One attempt on a connection of the caller's own, waiting on the calling thread. Throws like
    /// ``ClientConnection/call(frame:deadline:)``. A kept connection that cannot even send found the
    /// server restarted since: the kept ones are dropped and the call goes out once on a new one.
    private func callDirect<Response>(
        _ instance: ClientInstance, frame: inout RequestFrame, deadline: Deadline, decode: (UnsafeRawBufferPointer) throws -> Response
    ) throws -> Response {
        var (connection, reused) = try instance.directConnection()
        while true {
            do {
                let response = try connection.call(frame: &frame, deadline: deadline, decode: decode)
                instance.returnDirect(connection)
                return response
            } catch let status as RPCError {
                // The server answered: the connection is as good as before.
                instance.returnDirect(connection)
                throw status
            } catch let failure as DirectConnection.Failure {
                connection.close()
                switch failure {
                case .notSent where reused:
                    instance.dropIdleDirect()
                    (connection, reused) = try instance.directConnection(fresh: true)
                case .notSent: throw NotSent(error: .unavailable("connection lost"))
                case .deadlineExceeded: throw RPCError(.deadlineExceeded, "deadline exceeded")
                case .lost(let error): throw error
                }
            }
        }
    }

    /// Instances starting from `tenant`'s preferred one (``InstanceChoice/byTenant``) or else the next in round-robin
    /// order, the ones in backoff last.
    private func orderedInstances(tenant: String?) -> [ClientInstance] {
        if instances.count == 1 { return instances }
        let start = tenant.map { InstanceChoice.preferred(tenant: $0, count: instances.count) } ?? next.withLock { value -> Int in
            defer { value &+= 1 }
            return value
        }
        let rotated = (0..<instances.count).map { instances[(start + $0) % instances.count] }
        return rotated.filter { !$0.isDown } + rotated.filter { $0.isDown }
    }

    func record(_ method: String, _ code: RPCError.Code, _ started: UInt64) {
        latency?.observe(method: method, code: code, seconds: Double(Monotonic.nanoseconds() - started) / 1e9)
    }
}
