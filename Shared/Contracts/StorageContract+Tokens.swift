import Foundation
import RPC

/// `storage.v1/PutToken`, `ListTokens`, `RevokeToken` and `TokenState`: the register of SmartTicket's HS256 tokens by
/// their id (`jti`), and their revocation.
///
/// A denylist: a token id that is not registered is live as long as its signature and `exp` hold (so a token minted
/// offline by `smart-ticket token create` works without registration), and a revoked id is refused by every gateway of
/// every pod on its next request, which asks ``tokenState`` on every authenticated request. Any kind, any owner: the
/// API's personal tokens, the CLI's, and SSO sessions use the same methods. The token itself is never sent to storage.
extension StorageContract {
    public static let putToken = Method<TokenRecord, TokenRecord>(service: service, method: "PutToken")
    public static let listTokens = Method<ListTokensRequest, TokenList>(service: service, method: "ListTokens")
    public static let revokeToken = Method<RevokeTokenRequest, RevokeTokenResponse>(service: service, method: "RevokeToken")
    /// Every authenticated request's check: answered on the RPC connection's thread (the revoked ids of a SQLite
    /// database are in storage's memory; on PostgreSQL a primary-key lookup).
    public static let tokenState = Method<TokenStateRequest, TokenStateResponse>(service: service, method: "TokenState")

    /// What a token is for.
    public enum TokenKind: String, Codable, Sendable, CaseIterable {
        /// A personal API token (`POST /api/v1/tokens`, the panel's Tokens view).
        case api
        /// Minted by `smart-ticket token create`.
        case cli
        /// A single sign-on session.
        case session
        /// Revoked by id without having been registered (`token revoke` of an offline-minted token): nothing else is
        /// known of it.
        case unregistered
    }

    /// One registered token: everything but the token itself.
    public struct TokenRecord: Codable, Sendable, Equatable {
        /// The token's `jti` (letters, digits, `-`, `_`; at most 100).
        public var id: String
        /// The subject it was made by and speaks for.
        public var owner: String
        /// A name its owner chose ("ci", "grafana"), at most 200 bytes.
        public var name: String
        /// ``TokenKind`` raw value.
        public var kind: String
        /// Project key (or `*`) to role name, as in the token.
        public var roles: [String: String]
        public var createdAt: Date
        public var expiresAt: Date?
        /// Nil while live.
        public var revokedAt: Date?
        /// Who revoked it.
        public var revokedBy: String?
        public init(id: String, owner: String, name: String, kind: String, roles: [String: String], createdAt: Date,
                    expiresAt: Date?, revokedAt: Date? = nil, revokedBy: String? = nil) {
            self.id = id
            self.owner = owner
            self.name = name
            self.kind = kind
            self.roles = roles
            self.createdAt = createdAt
            self.expiresAt = expiresAt
            self.revokedAt = revokedAt
            self.revokedBy = revokedBy
        }
    }

    /// The tenant's tokens, newest first (at most 1,000).
    public struct ListTokensRequest: Codable, Sendable, Equatable {
        /// Only this subject's tokens; nil for every token of the tenant.
        public var owner: String?
        /// Only these kinds (``TokenKind`` raw values); nil for every kind.
        public var kinds: [String]?
        public init(owner: String? = nil, kinds: [String]? = nil) {
            self.owner = owner
            self.kinds = kinds
        }
    }

    public struct TokenList: Codable, Sendable, Equatable {
        public var items: [TokenRecord]
        public init(items: [TokenRecord]) { self.items = items }
    }

    /// Revokes a token by id; idempotent (a revoked token keeps its first revocation's time and revoker).
    public struct RevokeTokenRequest: Codable, Sendable, Equatable {
        public var id: String
        /// Who revokes it (a subject, or `cli` for the command line).
        public var by: String
        /// Only if this subject owns it: NOT_FOUND otherwise, as for an unknown id (nil: whoever owns it).
        public var owner: String?
        /// Records an id never registered as revoked (kind `unregistered`) instead of answering NOT_FOUND: for a token
        /// minted offline.
        public var registerIfMissing: Bool?
        public init(id: String, by: String, owner: String? = nil, registerIfMissing: Bool? = nil) {
            self.id = id
            self.by = by
            self.owner = owner
            self.registerIfMissing = registerIfMissing
        }
    }

    public struct RevokeTokenResponse: Codable, Sendable, Equatable {
        /// The token as stored now.
        public var token: TokenRecord
        /// Whether this call revoked it (false: it was revoked already).
        public var changed: Bool
        public init(token: TokenRecord, changed: Bool) {
            self.token = token
            self.changed = changed
        }
    }

    public struct TokenStateRequest: Codable, Sendable, Equatable {
        public var id: String
        public init(id: String) { self.id = id }
    }

    public struct TokenStateResponse: Codable, Sendable, Equatable {
        public var revoked: Bool
        public init(revoked: Bool) { self.revoked = revoked }
    }
}
