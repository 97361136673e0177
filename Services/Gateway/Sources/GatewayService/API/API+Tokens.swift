import Contracts
import Foundation
import HTTP
import RPC

extension API {
    /// Personal API tokens: `POST /api/v1/tokens` makes one (scope no higher than the caller's own roles, lifetime at most
    /// `auth.maxTokenLifetimeSeconds`) and shows it once; `GET` lists the caller's (an admin of `*` everyone's, or one
    /// owner's with `?owner=`), never the token itself; `DELETE /api/v1/tokens/{id}` revokes one (its owner, or an admin
    /// of `*`), at once in every gateway. Making and revoking are audited (kind `token`, without the token).
    static func registerTokenRoutes(_ routes: inout RouteTable<Endpoint>) {
        routes.add("POST", "/api/v1/tokens", .anyRole) { api, context in
            let body = try JSONCoding.decodeStrict(NewTokenBody.self, from: context.request.body)
            let name = try body.checkedName()
            let ttl = try body.lifetime(maximum: api.tokenRegistry.maxLifetime)
            let roles = try body.checkedRoles()
            let own = try await api.authorizer.roles(of: context.principal)
            for (project, role) in roles.sorted(by: { $0.key < $1.key }) {
                let mine = project == "*" ? own["*"] : [own[project], own["*"]].compactMap { $0 }.max()
                guard let mine, role <= mine else {
                    throw APIError.forbidden("a token cannot have more than your own role: you asked for \(role.rawValue) in `\(project)`, "
                        + "where your role is \(mine?.rawValue ?? "none"); ask for \(mine.map { "\($0.rawValue) or less" } ?? "a project you have a role in")")
                }
            }
            let issued = try await api.tokenRegistry.issue(tenant: context.principal.tenant, owner: context.principal.subject, name: name,
                                                           kind: .api, roles: roles, ttl: ttl, traceID: context.traceID)
            try await api.recordTokenChange(issued.record.id, before: nil, after: TokenAudit(issued.record), context)
            api.logger.info("token created", ["kind": .string(issued.record.kind)])
            return try json(NewTokenAnswer(issued), status: 201)
        }
        routes.add("GET", "/api/v1/tokens", .anyRole) { api, context in
            let admin = try await api.authorizer.roles(of: context.principal)["*"] == .admin
            let owner = context.query("owner")
            if let owner, owner != context.principal.subject, !admin {
                throw APIError.forbidden("listing another subject's tokens needs the admin role for every project (`*`); "
                    + "without `owner` you get your own")
            }
            let items = try await api.storage.call(StorageContract.listTokens, .init(owner: admin ? owner : context.principal.subject),
                                                   metadata: context.metadata).items
            return try json(ListBody(items: items.map { TokenBody($0, current: $0.id == context.principal.tokenID) }, next: nil))
        }
        routes.add("DELETE", "/api/v1/tokens/{id}", .anyRole) { api, context in
            let id = context.param("id")
            let admin = try await api.authorizer.roles(of: context.principal)["*"] == .admin
            guard JWTVerifier.isTokenID(id) else { throw APIError.notFound("token not found") }
            let revoked: StorageContract.RevokeTokenResponse
            do {
                revoked = try await api.tokenRegistry.revoke(id, tenant: context.principal.tenant, by: context.principal.subject,
                                                             owner: admin ? nil : context.principal.subject, traceID: context.traceID)
            } catch let error as RPCError where error.code == .notFound {
                throw APIError.notFound("token not found: `GET /api/v1/tokens` lists yours")
            }
            if revoked.changed {
                var before = revoked.token
                before.revokedAt = nil
                before.revokedBy = nil
                try await api.recordTokenChange(id, before: TokenAudit(before), after: TokenAudit(revoked.token), context)
                api.logger.info("token revoked", ["kind": .string(revoked.token.kind)])
            }
            return noContent
        }
    }
}

extension API {
    /// Records a token made or revoked in the audit record; a tenant not created yet (no import, no project) has no
    /// audit record to write to, and its tokens are made without one.
    func recordTokenChange(_ id: String, before: TokenAudit?, after: TokenAudit?, _ context: RequestContext) async throws {
        do {
            _ = try await storage.call(StorageContract.getTenant, .init(), metadata: context.metadata)
        } catch let error as RPCError where error.code == .notFound {
            return
        }
        try await recordChange(.token, project: nil, target: id, before: before, after: after, context)
    }
}

/// `POST /api/v1/tokens`'s body.
struct NewTokenBody: Codable {
    let name: String
    /// Seconds.
    let expiresIn: Int?
    /// `30m`, `8h`, `7d`, as `smart-ticket token create --ttl`.
    let ttl: String?
    /// Project key (or `*`) to role.
    let roles: [String: String]

    func checkedName() throws -> String {
        guard TokenIssuer.isValidName(name) else {
            throw APIError.badRequest("field `name`: 1 to 200 bytes without control characters, e.g. \"ci\"")
        }
        return name
    }

    /// The lifetime in seconds, at most `maximum`.
    func lifetime(maximum: Double) throws -> Double {
        let seconds: Double
        switch (expiresIn, ttl) {
        case (let value?, nil): seconds = Double(value)
        case (nil, let text?):
            guard let parsed = TokenIssuer.seconds(of: text) else { throw APIError.badRequest("field `ttl`: must look like 30m, 8h or 7d") }
            seconds = parsed.rounded(.down)
        default:
            throw APIError.badRequest("give the token's lifetime as `expiresIn` (seconds) or `ttl` (e.g. 30d), one of them")
        }
        guard seconds >= 60 else { throw APIError.badRequest("the lifetime must be at least 60 seconds") }
        guard seconds <= maximum else {
            throw APIError.badRequest("the lifetime is longer than auth.maxTokenLifetimeSeconds (\(Int(maximum)) s, "
                + "\(Int(maximum / 86_400)) days); ask for a shorter one")
        }
        return seconds
    }

    func checkedRoles() throws -> [String: Role] {
        guard !roles.isEmpty, roles.count <= 200 else {
            throw APIError.badRequest("field `roles`: 1 to 200 projects, e.g. {\"WEB\": \"viewer\"} (`*` for every project)")
        }
        var checked: [String: Role] = [:]
        for (project, name) in roles {
            guard Principal.isRoleScope(project) else { throw APIError.badRequest("field `roles`: `\(project)` is not a project key or `*`") }
            guard let role = Role(rawValue: name) else { throw APIError.badRequest("field `roles.\(project)`: must be one of admin, member, viewer") }
            checked[project] = role
        }
        return checked
    }
}

/// `POST /api/v1/tokens`'s answer: the token, shown this once.
struct NewTokenAnswer: Encodable {
    let id: String
    let name: String
    let token: String
    let roles: [String: String]
    let expiresAt: Date?

    init(_ issued: TokenRegistry.Issued) {
        id = issued.record.id
        name = issued.record.name
        token = issued.token
        roles = issued.record.roles
        expiresAt = issued.record.expiresAt
    }
}

/// A token as listed: never the token itself.
struct TokenBody: Encodable {
    let id: String
    let name: String
    let owner: String
    let kind: String
    let roles: [String: String]
    let createdAt: Date
    let expiresAt: Date?
    let revokedAt: Date?
    let revokedBy: String?
    /// Whether it is the token of the request that lists it.
    let current: Bool

    init(_ record: StorageContract.TokenRecord, current: Bool) {
        id = record.id
        name = record.name
        owner = record.owner
        kind = record.kind
        roles = record.roles
        createdAt = record.createdAt
        expiresAt = record.expiresAt
        revokedAt = record.revokedAt
        revokedBy = record.revokedBy
        self.current = current
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(owner, forKey: .owner)
        try container.encode(kind, forKey: .kind)
        try container.encode(roles, forKey: .roles)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(expiresAt, forKey: .expiresAt)   // null, not absent
        try container.encode(revokedAt, forKey: .revokedAt)
        try container.encode(revokedBy, forKey: .revokedBy)
        try container.encode(current, forKey: .current)
    }

    private enum CodingKeys: String, CodingKey { case id, name, owner, kind, roles, createdAt, expiresAt, revokedAt, revokedBy, current }
}

/// What the audit record keeps of a token made or revoked: never the token.
struct TokenAudit: Encodable, Equatable {
    let name: String
    let owner: String
    let kind: String
    let roles: [String: String]
    let expiresAt: Date?
    let revokedAt: Date?
    let revokedBy: String?

    init(_ record: StorageContract.TokenRecord) {
        name = record.name
        owner = record.owner
        kind = record.kind
        roles = record.roles
        expiresAt = record.expiresAt
        revokedAt = record.revokedAt
        revokedBy = record.revokedBy
    }
}
