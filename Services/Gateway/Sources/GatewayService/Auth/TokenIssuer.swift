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

    /// The seconds of a lifetime written `30s`, `30m`, `8h` or `7d` (`token create --ttl`, `POST /api/v1/tokens`'s `ttl`);
    /// nil for anything else.
    public static func seconds(of duration: String) -> Double? {
        guard let unit = duration.last, let value = Double(duration.dropLast()), value > 0, value.isFinite,
              let scale = ["s": 1.0, "m": 60, "h": 3600, "d": 86_400][String(unit)] else { return nil }
        return value * scale
    }

    /// Whether `name` may name a token: 1 to 200 bytes without control characters.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 200 && !name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
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
