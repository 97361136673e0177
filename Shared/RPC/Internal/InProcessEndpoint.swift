import Observability
import Wire

/// A service's ``Router`` called in the caller's own process, for unit tests of a service's handlers: no socket, no
/// frames, no server thread, but the rest of a call as a server makes it. The request and the response go through the
/// client's codec (so a message that would not cross the wire does not cross here either), a request that does not
/// decode is INVALID_ARGUMENT naming the field, an unknown method is UNIMPLEMENTED, an asynchronous handler is cancelled
/// at the call's deadline (DEADLINE_EXCEEDED), and an error other than ``RPCError`` is INTERNAL, as ``RPCServer`` answers.
/// `health.v1/Check` answers SERVING and `diagnostics.v1/Echo` echoes, as on every server.
struct InProcessEndpoint: Sendable {
    private let router: Router
    private let logger: Logger

    init(router: Router, logger: Logger) {
        var router = router
        router.registerBlocking(StandardMethods.echo) { message, _ in message }
        router.registerBlocking(StandardMethods.health) { _, _ in HealthCheckResponse(status: .serving) }
        self.router = router
        self.logger = logger
    }

    /// The response body of `method` called with the encoded `request`.
    func call(method: String, request: [UInt8], codec: any MessageCodec, metadata: Metadata, deadline: Deadline) async throws -> [UInt8] {
        guard let handler = router.handler(for: method) else { throw RPCError(.unimplemented, "unknown method \(method)") }
        let context = ServerContext(method: method, metadata: metadata, deadline: deadline, logger: logger)
        do {
            let prepared = try request.withUnsafeBytes { try handler($0, codec) }
            var out: [UInt8] = []
            switch prepared {
            case .immediate(let run):
                try run(context, codec, &out)
                return out
            case .async(let run):
                return try await Self.untilDeadline(deadline) {
                    var out: [UInt8] = []
                    try await run(context, codec, &out)
                    return out
                }
            }
        } catch let error as RPCError {
            throw error
        } catch is CancellationError {
            throw RPCError(.cancelled, "call cancelled")
        } catch {
            logger.error("handler threw an unexpected error", ["method": .string(method), "error": .string(String(describing: type(of: error)))])
            throw RPCError.internalError()
        }
    }

    /// `body`'s result, or DEADLINE_EXCEEDED (with `body` cancelled) when `deadline` comes first.
    private static func untilDeadline(_ deadline: Deadline, _ body: @escaping @Sendable () async throws -> [UInt8]) async throws -> [UInt8] {
        try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(max(0, deadline.remainingSeconds) * 1e9))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let body = first else {
                throw RPCError(.deadlineExceeded, "deadline exceeded")
            }
            return body
        }
    }
}
