import Contracts
import Foundation
import RPC

/// SmartTicket tokens with an id, registered and revocable: ``issue(tenant:owner:name:kind:roles:ttl:now:traceID:)``
/// mints a token and registers its id in storage (the token itself is never stored), ``revoke(_:tenant:by:owner:)``
/// revokes one, and ``isRevoked(_:traceID:)`` is the check of every authenticated request. The API's personal tokens
/// use it, and so can SSO sessions (kind `session`, revoked on sign-out).
public struct TokenRegistry: Sendable {
    /// What ``issue(tenant:owner:name:kind:roles:ttl:now:traceID:)`` made: the token (to show once) and its record.
    public struct Issued: Sendable {
        public let token: String
        public let record: StorageContract.TokenRecord
    }

    let storage: StorageClient
    /// The HS256 key (nil: this gateway has none, and issues nothing).
    let secret: [UInt8]?
    /// `auth.maxTokenLifetimeSeconds`.
    public let maxLifetime: Double

    public init(storage: StorageClient, secret: [UInt8]?, maxLifetime: Double) {
        self.storage = storage
        self.secret = secret
        self.maxLifetime = maxLifetime
    }

    /// Mints a token for `owner` in `tenant` with `roles` for `ttl` seconds (at most ``maxLifetime``), registers it,
    /// and answers it. Nothing is answered unless it is registered.
    public func issue(tenant: String, owner: String, name: String, kind: StorageContract.TokenKind, roles: [String: Role], ttl: Double,
                      now: Date = Date(), traceID: String? = nil) async throws -> Issued {
        guard let secret else { throw RPCError(.failedPrecondition, "this gateway has no HS256 key to sign tokens with") }
        guard ttl > 0, ttl <= maxLifetime else {
            throw RPCError.invalidArgument("the lifetime must be between 1 second and auth.maxTokenLifetimeSeconds (\(Int(maxLifetime)) s)")
        }
        let minted = Self.mint(secret: secret, tenant: tenant, owner: owner, name: name, kind: kind, roles: roles, ttl: ttl, now: now)
        let stored = try await storage.call(StorageContract.putToken, minted.record,
                                            metadata: Metadata(tenant: tenant, principal: owner, traceID: traceID))
        return Issued(token: minted.token, record: stored)
    }

    /// A new token (with a new id) for `owner` and the record that registers it, not registered yet: what
    /// ``issue(tenant:owner:name:kind:roles:ttl:now:traceID:)`` stores, and what `smart-ticket token create` prints (and
    /// registers with `--run-dir`). Issued at a whole second, so the record's times are the token's.
    public static func mint(secret: [UInt8], tenant: String, owner: String, name: String, kind: StorageContract.TokenKind,
                            roles: [String: Role], ttl: Double, now: Date = Date()) -> Issued {
        let id = TokenIssuer.newID()
        let issuedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let token = TokenIssuer.issue(secret: secret, tenant: tenant, subject: owner, roles: roles, ttl: ttl, id: id, kind: kind.rawValue,
                                      now: issuedAt)
        let record = StorageContract.TokenRecord(
            id: id, owner: owner, name: name, kind: kind.rawValue, roles: roles.mapValues(\.rawValue), createdAt: issuedAt,
            expiresAt: issuedAt.addingTimeInterval(Double(Int(ttl))))
        return Issued(token: token, record: record)
    }

    /// Revokes the token `id` of `tenant` on behalf of `by`; with `owner`, only a token of that subject (NOT_FOUND for
    /// anyone else's, as for an unknown id). Idempotent. Every gateway refuses the token from its next request on.
    public func revoke(_ id: String, tenant: String, by: String, owner: String? = nil,
                       traceID: String? = nil) async throws -> StorageContract.RevokeTokenResponse {
        try await storage.call(StorageContract.revokeToken, .init(id: id, by: by, owner: owner),
                               metadata: Metadata(tenant: tenant, principal: by, traceID: traceID))
    }

    /// Whether the principal's token is revoked (never, for a token without an id: RS256 tokens are Atlassian's).
    public func isRevoked(_ principal: Principal, traceID: String? = nil) async throws -> Bool {
        guard let id = principal.tokenID else { return false }
        return try await storage.call(StorageContract.tokenState, .init(id: id),
                                      metadata: Metadata(tenant: principal.tenant, principal: principal.subject, traceID: traceID)).revoked
    }
}
