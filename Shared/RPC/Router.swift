import Wire

/// Maps method names to handlers; built before the server starts, then read-only.
public struct Router: Sendable {
    /// A handler with its message types erased, in two steps: `Handler` decodes the request from
    /// its bytes, read in place in the connection's buffer (so synchronously, before anything can
    /// suspend), and returns the ``PreparedCall`` that runs the handler and appends the encoded
    /// response to a frame.
    typealias Handler = @Sendable (UnsafeRawBufferPointer, any MessageCodec) throws -> PreparedCall

    /// Runs a decoded call and appends the response message to the buffer.
    enum PreparedCall: Sendable {
        /// A synchronous handler: runs on the connection's thread as the request is read, with no
        /// task (it cannot be cancelled, as an asynchronous handler that never suspends cannot).
        case immediate(@Sendable (ServerContext, any MessageCodec, inout [UInt8]) throws -> Void)
        /// An asynchronous handler: runs in a task, cancelled by a cancel or its deadline.
        case async(@Sendable (ServerContext, any MessageCodec, inout [UInt8]) async throws -> Void)
    }

    private(set) var handlers: [String: Handler] = [:]

    public init() {}

    /// Registers an asynchronous `handler` for `method`, replacing any earlier one. The handler runs in a task (on the
    /// connection's thread until it first suspends, then on the cooperative pool), which a cancel or the call's
    /// deadline cancels. The name says which kind of handler it is: nothing is chosen by overload resolution.
    public mutating func registerAsync<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        _ handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        handlers[method.fullName] = { bytes, codec in
            let request = try Self.decode(Request.self, from: bytes, codec)
            return .async { context, codec, out in
                let response = try await handler(request, context)
                try codec.encode(response, appendingTo: &out)
            }
        }
    }

    /// Registers a blocking `handler` for `method`: it runs on the connection's own thread as soon as its request is
    /// read, without a task, and may block that thread (storage reads SQLite in place); a call costs a few microseconds
    /// less, and the handler cannot be cancelled. Meant for short work that waits on no other process; anything else
    /// belongs in an asynchronous handler (``registerAsync(_:_:)``).
    public mutating func registerBlocking<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        _ handler: @escaping @Sendable (Request, ServerContext) throws -> Response
    ) {
        handlers[method.fullName] = { bytes, codec in
            let request = try Self.decode(Request.self, from: bytes, codec)
            return .immediate { context, codec, out in
                let response = try handler(request, context)
                try codec.encode(response, appendingTo: &out)
            }
        }
    }

    /// ``registerAsync(_:_:)`` for a method of a service's contract (its ``ServiceMethod/descriptor``).
    public mutating func registerAsync<Service, Request, Response>(
        _ method: ServiceMethod<Service, Request, Response>,
        _ handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        registerAsync(method.descriptor, handler)
    }

    /// ``registerBlocking(_:_:)`` for a method of a service's contract (its ``ServiceMethod/descriptor``).
    public mutating func registerBlocking<Service, Request, Response>(
        _ method: ServiceMethod<Service, Request, Response>,
        _ handler: @escaping @Sendable (Request, ServerContext) throws -> Response
    ) {
        registerBlocking(method.descriptor, handler)
    }

    /// The request in `bytes`; INVALID_ARGUMENT naming the field when it does not decode.
    private static func decode<Request: Decodable>(_ type: Request.Type, from bytes: UnsafeRawBufferPointer, _ codec: any MessageCodec) throws -> Request {
        do {
            return try codec.decode(Request.self, from: bytes)
        } catch let error as DecodingError {
            throw RPCError.invalidArgument("invalid request: \(error.fieldDescription)")
        } catch {
            throw RPCError.invalidArgument("invalid request body")
        }
    }

    /// The names of every registered method, sorted.
    public var methods: [String] { handlers.keys.sorted() }

    func handler(for method: String) -> Handler? { handlers[method] }
}
