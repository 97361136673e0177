import Model

/// Who is calling, for which tenant, with which roles.
public struct Principal: Sendable, Equatable {
    /// The subject (`sub`), never a token.
    public var subject: String
    public var tenant: String
    /// Roles from the token: project key (or `*`) to role.
    public var tokenRoles: [String: Role]
    /// How the caller authenticated: `hs256` (SmartTicket token) or `rs256` (Forge/JWKS).
    public var scheme: String

    public init(subject: String, tenant: String, tokenRoles: [String: Role], scheme: String) {
        self.subject = subject
        self.tenant = tenant
        self.tokenRoles = tokenRoles
        self.scheme = scheme
    }
}
