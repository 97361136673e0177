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
    /// The id (`jti`) of a SmartTicket token, by which it is revoked; nil for RS256 (Forge) tokens.
    public var tokenID: String?
    /// The `kind` claim of a SmartTicket token (`api`, `cli`, `session`), nil without one.
    public var tokenKind: String?

    /// A personal API token's roles are its whole scope (chosen when it was made, no higher than its maker's): the
    /// roles stored for its subject are not added to them, as they are for every other token.
    public var isScoped: Bool { tokenKind == "api" }

    public init(subject: String, tenant: String, tokenRoles: [String: Role], scheme: String, tokenID: String? = nil, tokenKind: String? = nil) {
        self.subject = subject
        self.tenant = tenant
        self.tokenRoles = tokenRoles
        self.scheme = scheme
        self.tokenID = tokenID
        self.tokenKind = tokenKind
    }
}
