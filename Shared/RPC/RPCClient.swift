import Observability
import Posix
import Synchronization
import Wire

/// Calls one service over its instances' Unix sockets.
///
/// Calls are multiplexed over a small pool of connections per instance and spread over instances;
/// an instance that cannot be reached is skipped for a jittered backoff period. Only failures known
/// not to have reached a handler (connection refused, or the server answering UNAVAILABLE) are
/// retried, on another instance when there is one, and never past the call's deadline.
public final class RPCClient: Sendable {
    /// The service name, for logs and errors.
    public let service: String
    private let instances: [ClientInstance]
    private let codec: any MessageCodec
    private let defaultTimeout: Double
    private let maxFrameSize: Int
    private let next = Mutex(0)
    private let latency: CallLatencyMetric?

    /// Creates a client for `service` reachable at `socketPaths` (one per instance).
    public init(
        service: String, socketPaths: [String], connectionsPerInstance: Int = 2,
        codec: any MessageCodec = defaultMessageCodec, defaultTimeout: Double = 10,
        maxFrameSize: Int = 4 << 20, metrics: MetricsRegistry? = nil
    ) {
        precondition(!socketPaths.isEmpty, "a client needs at least one socket")
        self.service = service
        self.instances = socketPaths.map {
            ClientInstance(path: $0, connections: connectionsPerInstance, maxFrameSize: maxFrameSize)
        }
        self.codec = codec
        self.maxFrameSize = maxFrameSize
        self.defaultTimeout = defaultTimeout
        self.latency = metrics.map {
            CallLatencyMetric(registry: $0, name: "smart_ticket_rpc_client_seconds", help: "Client-side RPC latency by method and status.")
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
        var frame: RequestFrame
        do {
            frame = try EnvelopeFormat.requestFrame(method: method.fullName, metadata: metadata, maxFrameSize: maxFrameSize) { buffer in
                try codec.encode(request, appendingTo: &buffer)
            }
        } catch is FrameError {
            throw RPCError(.resourceExhausted, "request exceeds the frame size limit of \(maxFrameSize) bytes")
        }
        let started = Monotonic.nanoseconds()
        do {
            let bytes = try await callWithRetries(frame: &frame, deadline: callDeadline)
            let response: Response
            do {
                response = try codec.decode(Response.self, from: bytes)
            } catch {
                throw RPCError.internalError("malformed response from \(service)")
            }
            record(method.fullName, .ok, started)
            return response
        } catch let error as RPCError {
            record(method.fullName, error.code, started)
            throw error
        }
    }

    /// Closes every connection.
    public func close() {
        for instance in instances { instance.close() }
    }

    private func callWithRetries(frame: inout RequestFrame, deadline: Deadline) async throws -> [UInt8] {
        var backoff = Backoff(initial: 0.01, maximum: 0.5, multiplier: 2, jitter: 0.2)
        var lastError = RPCError.unavailable("\(service) is unavailable")
        while true {
            if Task.isCancelled { throw RPCError(.cancelled, "call cancelled") }
            if deadline.hasPassed {
                throw lastError.code == .unavailable ? lastError : RPCError(.deadlineExceeded, "deadline exceeded")
            }
            for instance in orderedInstances() {
                do {
                    let connection = try instance.connection()
                    return try await connection.call(frame: &frame, deadline: deadline)
                } catch let failure as NotSent {
                    lastError = failure.error
                } catch let error as RPCError where error.code == .unavailable && !error.isConnectionLoss {
                    // The server refused the call without running it (for example while draining).
                    instance.markDown()
                    lastError = error
                }
                if deadline.hasPassed { break }
            }
            let delay = min(backoff.next(), deadline.remainingSeconds)
            if delay > 0 { try? await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
        }
    }

    /// Instances starting from the next in round-robin order, the ones in backoff last.
    private func orderedInstances() -> [ClientInstance] {
        if instances.count == 1 { return instances }
        let start = next.withLock { value -> Int in
            defer { value &+= 1 }
            return value
        }
        let rotated = (0..<instances.count).map { instances[(start + $0) % instances.count] }
        return rotated.filter { !$0.isDown } + rotated.filter { $0.isDown }
    }

    private func record(_ method: String, _ code: RPCError.Code, _ started: UInt64) {
        latency?.observe(method: method, code: code, seconds: Double(Monotonic.nanoseconds() - started) / 1e9)
    }
}
