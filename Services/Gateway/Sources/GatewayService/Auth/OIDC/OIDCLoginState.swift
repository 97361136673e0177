import Crypto
import Foundation

/// What a sign-in started by `GET /auth/oidc/login` must find again at `GET /auth/oidc/callback`: the `state` and
/// `nonce` sent to the provider, the PKCE code verifier and the redirect URI. It travels in a short-lived HttpOnly cookie
/// sealed with HMAC-SHA256 under a key derived from the gateway's JWT secret, so any gateway instance or pod can take the
/// callback and nobody can forge or alter one.
struct OIDCLoginState: Codable, Equatable, Sendable {
    var state: String
    var nonce: String
    var verifier: String
    var redirectURI: String
    /// Seconds since 1970 after which the sign-in must start again.
    var expires: Double

    static let cookieName = "smart_ticket_oidc"
    /// Seconds a person has at the provider's login page.
    static let lifetime: Double = 600

    /// A new sign-in's values: 32 random bytes (OpenSSL) each for `state`, `nonce` and the code verifier.
    static func fresh(redirectURI: String, now: Double = Date().timeIntervalSince1970) -> OIDCLoginState {
        OIDCLoginState(state: Base64URL.encode(Digest.randomBytes(32)), nonce: Base64URL.encode(Digest.randomBytes(32)),
                       verifier: Base64URL.encode(Digest.randomBytes(32)), redirectURI: redirectURI, expires: now + lifetime)
    }

    /// The PKCE S256 challenge of the verifier (RFC 7636 4.2).
    var codeChallenge: String { Base64URL.encode(Digest.sha256(Array(verifier.utf8))) }

    /// The cookie's value: the JSON in base64url, a dot, and its MAC.
    func sealed(secret: [UInt8]) -> String {
        let body = Base64URL.encode((try? JSONEncoder().encode(self)) ?? Data())
        return body + "." + Base64URL.encode(Digest.hmacSHA256(key: Self.key(secret), message: Array(body.utf8)))
    }

    /// The state sealed in `value`, nil when the MAC does not match, it is malformed or it expired.
    static func open(_ value: String, secret: [UInt8], now: Double = Date().timeIntervalSince1970) -> OIDCLoginState? {
        guard value.utf8.count <= 4096 else { return nil }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let mac = Base64URL.decode(parts[1]),
              Digest.constantTimeEqual(Digest.hmacSHA256(key: key(secret), message: Array(parts[0].utf8)), mac),
              let json = Base64URL.decode(parts[0]),
              let state = try? JSONDecoder().decode(OIDCLoginState.self, from: Data(json)), now <= state.expires else { return nil }
        return state
    }

    /// A key for this purpose only, so a sealed state can never pass for anything else signed with the JWT secret.
    private static func key(_ secret: [UInt8]) -> [UInt8] {
        Digest.hmacSHA256(key: secret, message: Array("smart-ticket oidc login state".utf8))
    }
}
