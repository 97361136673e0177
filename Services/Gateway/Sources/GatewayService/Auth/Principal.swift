import Model

/// Who is calling, for which tenant, with which roles.
public struct Principal: Sendable, Equatable {
    /// The subject (`sub`), never a token.
    public var subject: String
    public var tenant: String
    /// Roles from the token: project key (or `*`) to role.
    public var tokenRoles: [String: Role]
    /// How the caller authenticated: `hs256` (SmartTicket token), `rs256` (Forge/JWKS) or `session` (a single sign-on
    /// session, whose token is also HS256).
    public var scheme: String
    /// The id (`jti`) of a SmartTicket token, by which it is revoked; nil for RS256 (Forge) tokens.
    public var tokenID: String?
    /// The `kind` claim of a SmartTicket token (`api`, `cli`, `session`), nil without one.
    public var tokenKind: String?
    /// The person record the caller is, for "the person themselves" checks: the subject for tokens, and for a single
    /// sign-on session the person matched by `auth.oidc.personClaim` at sign-in (nil when none matched).
    public var person: String?
    /// A single sign-on session's id (its tokens' `jti`, kept by renewals); nil for other tokens.
    public var sessionID: String? { tokenKind == "session" ? tokenID : nil }

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
        self.person = subject
    }

    /// A single sign-on session's principal (its tokens are of kind `session`, their id the session's).
    public init(session id: String, subject: String, tenant: String, tokenRoles: [String: Role], person: String?) {
        self.init(subject: subject, tenant: tenant, tokenRoles: tokenRoles, scheme: "session", tokenID: id, tokenKind: "session")
        self.person = person
    }
}

extension Principal {
    /// What a role can be granted in: `*`, or a project key as storage takes it, 1 to 64 ASCII letters, digits, `_` or `.`
    /// (a ticket key is `PROJECT-ID`, so no dash).
    static func isRoleScope(_ text: String) -> Bool {
        if text == "*" { return true }
        return !text.isEmpty && text.utf8.count <= 64
            && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2E }
    }
}
