import Wire

/// Maps method names to handlers; built before the server starts, then read-only.
public struct Router: Sendable {
    /// A handler with its message types erased, in two steps: `Handler` decodes the request from
    /// its bytes, read in place in the connection's buffer (so synchronously, before anything can
    /// suspend), and returns the ``PreparedCall`` that runs the handler and appends the encoded
    /// response to a frame.
    typealias Handler = @Sendable (UnsafeRawBufferPointer, any MessageCodec) throws -> PreparedCall
    /// Runs a decoded call; appends the response message to the buffer.
    typealias PreparedCall = @Sendable (ServerContext, any MessageCodec, inout [UInt8]) async throws -> Void

    private(set) var handlers: [String: Handler] = [:]

    public init() {}

    /// Registers `handler` for `method`, replacing any earlier one.
    public mutating func register<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        _ handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        handlers[method.fullName] = { bytes, codec in
            let request: Request
            do {
                request = try codec.decode(Request.self, from: bytes)
            } catch let error as DecodingError {
                throw RPCError.invalidArgument("invalid request: \(error.fieldDescription)")
            } catch {
                throw RPCError.invalidArgument("invalid request body")
            }
            return { context, codec, out in
                let response = try await handler(request, context)
                try codec.encode(response, appendingTo: &out)
            }
        }
    }

    /// The names of every registered method, sorted.
    public var methods: [String] { handlers.keys.sorted() }

    func handler(for method: String) -> Handler? { handlers[method] }
}
