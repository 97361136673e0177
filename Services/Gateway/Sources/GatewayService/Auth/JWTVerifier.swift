import Crypto
import Foundation
import Model

/// Verifies bearer JWTs: HS256 tokens issued by SmartTicket, and RS256 tokens (the shape of
/// Atlassian Forge invocation tokens) against a configured JWKS.
///
/// Every failure is the same ``AuthError/invalidToken`` to the caller; the reason is only for the log.
/// Each key has exactly one algorithm, so an HS256 token "signed" with an RSA public key is refused,
/// and `alg: none` never verifies.
public struct JWTVerifier: Sendable {
    /// Settings for SmartTicket's own HS256 tokens.
    public struct HMACKey: Sendable {
        public var secret: [UInt8]
        public var issuer: String
        public var audience: String
        public init(secret: [UInt8], issuer: String = "smart-ticket", audience: String = "smart-ticket") {
            self.secret = secret
            self.issuer = issuer
            self.audience = audience
        }
    }

    /// Settings for RS256 tokens verified against a JWKS.
    public struct RSAKeys: Sendable {
        public var keys: [String: RSAPublicKey]
        public var audience: String
        public var issuer: String?
        public init(keys: [String: RSAPublicKey], audience: String, issuer: String? = nil) {
            self.keys = keys
            self.audience = audience
            self.issuer = issuer
        }
    }

    public static let maxTokenBytes = 8 * 1024
    public static let leeway: Double = 60
    /// The default of ``maxLifetime`` (`auth.maxTokenLifetimeSeconds`): 30 days.
    public static let defaultMaxLifetime: Double = 30 * 86_400

    public var hmac: HMACKey?
    public var rsa: RSAKeys?
    /// The longest a token may be valid, in seconds: `exp - iat`, or `exp - now` without `iat`
    /// (plus the leeway). A stolen token with a far `exp` would otherwise be good for years.
    public var maxLifetime: Double

    public init(hmac: HMACKey?, rsa: RSAKeys? = nil, maxLifetime: Double = JWTVerifier.defaultMaxLifetime) {
        self.hmac = hmac
        self.rsa = rsa
        self.maxLifetime = maxLifetime
    }

    /// A verified token's principal and the times (seconds since 1970, leeway included) between
    /// which the token is valid, so a verification can be reused until then.
    public struct Verified: Sendable {
        public var principal: Principal
        public var validFrom: Double
        public var validUntil: Double
    }

    /// The principal the token speaks for, or ``AuthError`` with a reason for the log.
    public func verify(_ token: String, now: Date = Date()) throws(AuthError) -> Principal {
        try verified(token, now: now).principal
    }

    /// ``verify(_:now:)`` with the token's validity period.
    public func verified(_ token: String, now: Date = Date()) throws(AuthError) -> Verified {
        guard token.utf8.count <= JWTVerifier.maxTokenBytes else { throw .invalidToken("token too large") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty else { throw .invalidToken("malformed segments") }
        guard let headerBytes = Base64URL.decode(parts[0]), let payloadBytes = Base64URL.decode(parts[1]),
              let signature = Base64URL.decode(parts[2]) else { throw .invalidToken("malformed base64url") }
        guard let header = try? JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any],
              let alg = header["alg"] as? String else { throw .invalidToken("malformed header") }
        // RFC 7515 4.1.11: a token whose `crit` names an extension the verifier does not understand
        // is invalid. This verifier understands none, so any `crit` is refused.
        if header["crit"] != nil { throw .invalidToken("crit header names extensions this verifier does not understand") }
        let signed = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
        let kid = header["kid"] as? String

        let audience: String
        let issuer: String?
        let scheme: String
        switch alg {
        case "HS256":
            guard let hmac, kid == nil || kid == "smart-ticket" else { throw .invalidToken("no HS256 key for this token") }
            let expected = Digest.hmacSHA256(key: hmac.secret, message: signed)
            guard Digest.constantTimeEqual(expected, signature) else { throw .invalidToken("bad signature") }
            audience = hmac.audience
            issuer = hmac.issuer
            scheme = "hs256"
        case "RS256":
            guard let rsa, let kid, let key = rsa.keys[kid] else { throw .invalidToken("unknown kid") }
            guard key.verifySHA256(signature: signature, message: signed) else { throw .invalidToken("bad signature") }
            audience = rsa.audience
            issuer = rsa.issuer
            scheme = "rs256"
        default:
            throw .invalidToken("algorithm not allowed")
        }

        guard let claims = try? JSONSerialization.jsonObject(with: Data(payloadBytes)) as? [String: Any] else {
            throw .invalidToken("malformed claims")
        }
        let time = now.timeIntervalSince1970
        guard let exp = Self.number(claims["exp"]) else { throw .invalidToken("missing exp") }
        guard time <= exp + JWTVerifier.leeway else { throw .invalidToken("expired") }
        var validFrom = -Double.infinity
        if claims["nbf"] != nil {
            guard let nbf = Self.number(claims["nbf"]), time + JWTVerifier.leeway >= nbf else { throw .invalidToken("not yet valid") }
            validFrom = nbf - JWTVerifier.leeway
        }
        let validUntil = exp + JWTVerifier.leeway
        if claims["iat"] != nil, Self.number(claims["iat"]) == nil { throw .invalidToken("malformed iat") }
        if let iat = Self.number(claims["iat"]) {
            guard exp - iat <= maxLifetime else { throw .invalidToken("lifetime (exp - iat) longer than the maximum") }
        } else {
            guard exp - time <= maxLifetime + JWTVerifier.leeway else { throw .invalidToken("lifetime (exp - now) longer than the maximum") }
        }
        let audiences = (claims["aud"] as? String).map { [$0] } ?? (claims["aud"] as? [String]) ?? []
        guard audiences.contains(audience) else { throw .invalidToken("wrong audience") }
        if let issuer { guard claims["iss"] as? String == issuer else { throw .invalidToken("wrong issuer") } }

        if scheme == "hs256" {
            guard let subject = claims["sub"] as? String, !subject.isEmpty, subject.utf8.count <= 255 else { throw .invalidToken("missing sub") }
            guard let tenant = claims["tid"] as? String, !tenant.isEmpty, tenant.utf8.count <= 128 else { throw .invalidToken("missing tid") }
            // Every SmartTicket token has an id, by which it is revoked; one minted before ids were (or by hand) is refused.
            guard let id = claims["jti"] as? String, !id.isEmpty else { throw .invalidToken("token has no id (jti): mint a new one") }
            guard Self.isTokenID(id) else { throw .invalidToken("malformed jti") }
            var roles: [String: Role] = [:]
            if let raw = claims["roles"] {
                guard let object = raw as? [String: Any] else { throw .invalidToken("malformed roles") }
                for (project, value) in object {
                    guard let name = value as? String, let role = Role(rawValue: name) else { throw .invalidToken("malformed roles") }
                    roles[project] = role
                }
            }
            var principal = Principal(subject: subject, tenant: tenant, tokenRoles: roles, scheme: scheme, tokenID: id,
                                      tokenKind: claims["kind"] as? String)
            // A single sign-on session's token (Sessions): its person is the one matched at sign-in, never the subject.
            if principal.tokenKind == "session" {
                principal = Principal(session: id, subject: subject, tenant: tenant, tokenRoles: roles, person: claims["pid"] as? String)
            }
            return Verified(principal: principal, validFrom: validFrom, validUntil: validUntil)
        }
        guard let context = claims["context"] as? [String: Any], let cloudID = context["cloudId"] as? String, !cloudID.isEmpty,
              cloudID.utf8.count <= 128 else { throw .invalidToken("missing context.cloudId") }
        let subject = (claims["sub"] as? String) ?? (context["accountId"] as? String) ?? ""
        guard !subject.isEmpty, subject.utf8.count <= 255 else { throw .invalidToken("missing sub") }
        return Verified(principal: Principal(subject: subject, tenant: cloudID, tokenRoles: [:], scheme: scheme),
                        validFrom: validFrom, validUntil: validUntil)
    }

    /// A token id as SmartTicket makes them and storage keeps them: 1 to 100 letters, digits, `-` and `_`.
    public static func isTokenID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 100 && id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F
        }
    }

    private static func number(_ value: Any?) -> Double? {
        guard let number = value as? NSNumber, !(value is Bool) else { return nil }
        let double = number.doubleValue
        return double.isFinite ? double : nil
    }
}

/// Authentication failures: one public answer (401), a private reason for the log.
public enum AuthError: Error, Equatable, Sendable {
    case missingToken
    case invalidToken(String)
}
