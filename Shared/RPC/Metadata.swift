/// What travels with every call besides the message: who is asking, for which tenant, and a trace id.
public struct Metadata: Codable, Hashable, Sendable {
    /// The tenant every storage query is scoped to.
    public var tenant: String?
    /// The authenticated principal (a subject id, never a token).
    public var principal: String?
    /// A trace id that ties log lines of one request together across processes.
    public var traceID: String?

    public init(tenant: String? = nil, principal: String? = nil, traceID: String? = nil) {
        self.tenant = tenant
        self.principal = principal
        self.traceID = traceID
    }
}
