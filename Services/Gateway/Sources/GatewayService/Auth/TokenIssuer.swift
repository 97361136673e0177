import Crypto
import Foundation
import Model

/// Mints SmartTicket's HS256 tokens (`smart-ticket token create`, ``TokenRegistry``).
public enum TokenIssuer {
    /// A signed token for `subject` in `tenant` with `roles` (project key or `*` to role), valid for `ttl` seconds, with
    /// the id `id` (its `jti`, by which it is revoked; a new random one by default) and, when given, its `kind` (`api`,
    /// `cli`, `session`: an `api` token's roles are its whole scope, see ``Principal/isScoped``). `extraClaims` (JSON values)
    /// are added to the standard ones (single sign-on sessions add `pid`, the matched person, and `sat`, the sign-in time).
    public static func issue(secret: [UInt8], tenant: String, subject: String, roles: [String: Role], ttl: Double,
                             id: String = TokenIssuer.newID(), kind: String? = nil, now: Date = Date(), issuer: String = "smart-ticket",
                             audience: String = "smart-ticket", extraClaims: [String: any Sendable] = [:]) -> String {
        let header = #"{"alg":"HS256","typ":"JWT"}"#
        let issuedAt = Int(now.timeIntervalSince1970)
        var claims: [String: Any] = [
            "iss": issuer, "aud": audience, "sub": subject, "tid": tenant, "jti": id,
            "iat": issuedAt, "exp": issuedAt + Int(ttl),
        ]
        claims["roles"] = roles.mapValues(\.rawValue)
        if let kind { claims["kind"] = kind }
        for (name, value) in extraClaims where claims[name] == nil { claims[name] = value }
        let payload = (try? JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])) ?? Data()
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(payload)
        let signature = Digest.hmacSHA256(key: secret, message: Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// A new token id: 128 random bits (the system's cryptographically secure generator) as 32 lowercase hex digits.
    public static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        let words = [UInt64.random(in: .min ... .max, using: &generator), UInt64.random(in: .min ... .max, using: &generator)]
        return words.map { word in
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
