import Crypto
import Foundation

/// Checks an ID token from the identity provider's token endpoint (OpenID Connect Core 3.1.3.7): an RS256 signature by
/// one of the provider's keys, `iss` the configured issuer, `aud` holding our client id (and `azp` it when there are
/// several audiences), `exp` not passed, `iat` present and neither in the future nor old, `nonce` the one this
/// sign-in sent; and the logout tokens of back-channel logout. Every check uses the same leeway for clocks; a failure is
/// ``OIDCFailure/refused(_:)`` with the reason.
struct IDTokenVerifier: Sendable {
    let issuer: String
    let clientID: String
    /// Seconds of clock difference allowed.
    var leeway: Double = 60
    /// An ID token issued longer ago than this is refused: it is minted at the code exchange, moments before.
    var maxAge: Double = 600

    /// The token's subject and claims, or the reason it is refused.
    func verify(_ token: String, nonce expectedNonce: String, keys: OIDCKeySet, now: Date = Date()) async throws(OIDCFailure) -> IDToken {
        let claims = try await signedClaims(token, keys: keys, now: now, what: "ID token")
        let time = now.timeIntervalSince1970
        guard let exp = Self.number(claims["exp"]) else { throw .refused("missing exp") }
        guard time <= exp + leeway else { throw .refused("ID token expired") }
        guard let iat = Self.number(claims["iat"]), time - iat <= maxAge + leeway else { throw .refused("ID token issued too long ago") }
        guard let nonce = claims["nonce"] as? String,
              Digest.constantTimeEqual(Array(nonce.utf8), Array(expectedNonce.utf8)) else { throw .refused("wrong nonce") }
        guard let subject = claims["sub"] as? String, !subject.isEmpty, subject.utf8.count <= 255 else {
            throw .refused("missing or oversized sub")
        }
        return IDToken(subject: subject, claims: claims, token: token)
    }

    /// The event a logout token carries (OpenID Connect Back-Channel Logout 1.0, 2.4).
    static let logoutEvent = "http://schemas.openid.net/event/backchannel-logout"

    /// Checks a logout token the provider posts when a person signs out there (Back-Channel Logout 1.0, 2.6): signed as
    /// an ID token is, by the same issuer for us, with `iat`, a `jti`, the logout event, `sub` or `sid`, and no `nonce`
    /// (so an ID token cannot be passed off as one). Answers who, or which provider session, to sign out.
    func verifyLogout(_ token: String, keys: OIDCKeySet, now: Date = Date()) async throws(OIDCFailure) -> (subject: String?, sessionID: String?) {
        let claims = try await signedClaims(token, keys: keys, now: now, what: "logout token")
        if let exp = claims["exp"] {
            guard let exp = Self.number(exp), now.timeIntervalSince1970 <= exp + leeway else { throw .refused("logout token expired") }
        }
        guard let iat = Self.number(claims["iat"]), now.timeIntervalSince1970 - iat <= maxAge + leeway else {
            throw .refused("logout token issued too long ago")
        }
        guard let jti = claims["jti"] as? String, !jti.isEmpty else { throw .refused("logout token without jti") }
        guard (claims["events"] as? [String: Any])?[Self.logoutEvent] is [String: Any] else { throw .refused("logout token without the logout event") }
        guard claims["nonce"] == nil else { throw .refused("logout token with a nonce") }
        let subject = (claims["sub"] as? String).flatMap { $0.isEmpty || $0.utf8.count > 255 ? nil : $0 }
        let session = (claims["sid"] as? String).flatMap { $0.isEmpty || $0.utf8.count > 255 ? nil : $0 }
        guard subject != nil || session != nil else { throw .refused("logout token names neither sub nor sid") }
        return (subject, session)
    }

    /// The claims of a token signed (RS256) by one of the provider's keys, issued by it for us: `iss`, `aud` (and `azp`),
    /// `iat` not in the future, `nbf` passed.
    private func signedClaims(_ token: String, keys: OIDCKeySet, now: Date, what: String) async throws(OIDCFailure) -> [String: Any] {
        guard token.utf8.count <= 16 * 1024 else { throw .refused("\(what) too large") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(parts[0]), let payloadBytes = Base64URL.decode(parts[1]),
              let signature = Base64URL.decode(parts[2]), !signature.isEmpty,
              let header = try? JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any] else {
            throw .refused("malformed \(what)")
        }
        // Only RS256: `none`, HMAC with a public key as secret, and every other algorithm are refused.
        guard header["alg"] as? String == "RS256" else { throw .refused("\(what) algorithm is not RS256") }
        guard header["crit"] == nil else { throw .refused("\(what) has a crit header") }
        if header["kid"] != nil, !(header["kid"] is String) { throw .refused("malformed kid") }
        let key = try await keys.key(for: header["kid"] as? String, now: now.timeIntervalSince1970)
        let signed = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
        guard key.verifySHA256(signature: signature, message: signed) else { throw .refused("bad \(what) signature") }

        guard let claims = try? JSONSerialization.jsonObject(with: Data(payloadBytes)) as? [String: Any] else {
            throw .refused("malformed \(what) claims")
        }
        guard claims["iss"] as? String == issuer else { throw .refused("wrong issuer") }
        let audiences = (claims["aud"] as? String).map { [$0] } ?? (claims["aud"] as? [String]) ?? []
        guard audiences.contains(clientID) else { throw .refused("wrong audience") }
        if audiences.count > 1 || claims["azp"] != nil {
            guard claims["azp"] as? String == clientID else { throw .refused("wrong or missing azp") }
        }
        let time = now.timeIntervalSince1970
        guard let iat = Self.number(claims["iat"]) else { throw .refused("missing iat") }
        guard iat <= time + leeway else { throw .refused("\(what) issued in the future") }
        if claims["nbf"] != nil {
            guard let nbf = Self.number(claims["nbf"]), nbf <= time + leeway else { throw .refused("\(what) not yet valid") }
        }
        return claims
    }

    private static func number(_ value: Any?) -> Double? {
        guard let number = value as? NSNumber, !(value is Bool) else { return nil }
        return number.doubleValue.isFinite ? number.doubleValue : nil
    }
}

/// A verified ID token.
struct IDToken: @unchecked Sendable {   // `claims` is JSON from JSONSerialization, never mutated
    let subject: String
    let claims: [String: Any]
    /// The token itself, kept only as the `id_token_hint` of the provider's logout.
    let token: String

    /// The groups in `claim`: a list of strings, or one string.
    static func groups(_ value: Any?) -> [String]? {
        if let list = value as? [Any] { return list.compactMap { $0 as? String } }
        if let one = value as? String { return [one] }
        return nil
    }

    /// A claim's value as text (a string, or a number), for matching a person.
    static func text(_ value: Any?) -> String? {
        if let string = value as? String, !string.isEmpty { return string }
        if let number = value as? NSNumber, !(value is Bool) { return number.stringValue }
        return nil
    }
}
