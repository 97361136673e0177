import Observability

/// What a handler knows about the call it serves.
public struct ServerContext: Sendable {
    /// `service.v1/Method`.
    public let method: String
    /// Tenant, principal and trace id sent by the caller.
    public let metadata: Metadata
    /// When the caller stops waiting; the server cancels the handler then.
    public let deadline: Deadline?
    private let baseLogger: Logger

    public init(method: String, metadata: Metadata, deadline: Deadline?, logger: Logger) {
        self.method = method
        self.metadata = metadata
        self.deadline = deadline
        self.baseLogger = logger
    }

    /// A logger carrying the method and trace id (built on use: most calls never log).
    public var logger: Logger {
        var fields: [String: LogValue] = ["method": .string(method)]
        if let traceID = metadata.traceID { fields["trace_id"] = .string(traceID) }
        return baseLogger.with(fields)
    }

    /// The tenant of the call, or INVALID_ARGUMENT if the caller sent none.
    public func requireTenant() throws -> String {
        guard let tenant = metadata.tenant, !tenant.isEmpty else {
            throw RPCError.invalidArgument("metadata `tenant` is required")
        }
        return tenant
    }
}
