import Crypto
import Foundation
import Model

/// Mints SmartTicket's HS256 tokens (`smart-ticket token create`).
public enum TokenIssuer {
    /// A signed token for `subject` in `tenant` with `roles` (project key or `*` to role), valid for `ttl` seconds.
    /// `extraClaims` (JSON values) are added to the standard ones (single sign-on sessions add `jti`, `ses`, `pid`, `sat`).
    public static func issue(secret: [UInt8], tenant: String, subject: String, roles: [String: Role], ttl: Double,
                             now: Date = Date(), issuer: String = "smart-ticket", audience: String = "smart-ticket",
                             extraClaims: [String: any Sendable] = [:]) -> String {
        let header = #"{"alg":"HS256","typ":"JWT"}"#
        let issuedAt = Int(now.timeIntervalSince1970)
        var claims: [String: Any] = [
            "iss": issuer, "aud": audience, "sub": subject, "tid": tenant,
            "iat": issuedAt, "exp": issuedAt + Int(ttl),
        ]
        claims["roles"] = roles.mapValues(\.rawValue)
        for (name, value) in extraClaims where claims[name] == nil { claims[name] = value }
        let payload = (try? JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])) ?? Data()
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(payload)
        let signature = Digest.hmacSHA256(key: secret, message: Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }
}
