import Observability

/// What a handler knows about the call it serves.
public struct ServerContext: Sendable {
    /// `service.v1/Method`.
    public let method: String
    /// Tenant, principal and trace id sent by the caller.
    public let metadata: Metadata
    /// When the caller stops waiting; the server cancels the handler then.
    public let deadline: Deadline?
    /// A logger carrying the method and trace id.
    public let logger: Logger

    public init(method: String, metadata: Metadata, deadline: Deadline?, logger: Logger) {
        self.method = method
        self.metadata = metadata
        self.deadline = deadline
        self.logger = logger
    }

    /// The tenant of the call, or INVALID_ARGUMENT if the caller sent none.
    public func requireTenant() throws -> String {
        guard let tenant = metadata.tenant, !tenant.isEmpty else {
            throw RPCError.invalidArgument("metadata `tenant` is required")
        }
        return tenant
    }
}
