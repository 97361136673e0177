import Wire

/// Maps method names to handlers; built before the server starts, then read-only.
public struct Router: Sendable {
    /// A handler with its message types erased: request bytes in, response bytes out.
    typealias Handler = @Sendable ([UInt8], ServerContext, any MessageCodec) async throws -> [UInt8]

    private(set) var handlers: [String: Handler] = [:]

    public init() {}

    /// Registers `handler` for `method`, replacing any earlier one.
    public mutating func register<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        _ handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        handlers[method.fullName] = { bytes, context, codec in
            let request: Request
            do {
                request = try codec.decode(Request.self, from: bytes)
            } catch let error as DecodingError {
                throw RPCError.invalidArgument("invalid request: \(error.fieldDescription)")
            } catch {
                throw RPCError.invalidArgument("invalid request body")
            }
            let response = try await handler(request, context)
            var out: [UInt8] = []
            try codec.encode(response, appendingTo: &out)
            return out
        }
    }

    /// The names of every registered method, sorted.
    public var methods: [String] { handlers.keys.sorted() }

    func handler(for method: String) -> Handler? { handlers[method] }
}
