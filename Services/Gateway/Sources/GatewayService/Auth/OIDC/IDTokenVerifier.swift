import Crypto
import Foundation

/// Checks an ID token from the identity provider's token endpoint (OpenID Connect Core 3.1.3.7): an RS256 signature by
/// one of the provider's keys, `iss` the configured issuer, `aud` holding our client id (and `azp` it when there are
/// several audiences), `exp` not passed, `iat` present and neither in the future nor old, `nonce` the one this
/// sign-in sent. Every check uses the same leeway for clocks; a failure is ``OIDCFailure/refused(_:)`` with the reason.
struct IDTokenVerifier: Sendable {
    let issuer: String
    let clientID: String
    /// Seconds of clock difference allowed.
    var leeway: Double = 60
    /// An ID token issued longer ago than this is refused: it is minted at the code exchange, moments before.
    var maxAge: Double = 600

    /// The token's subject and claims, or the reason it is refused.
    func verify(_ token: String, nonce expectedNonce: String, keys: OIDCKeySet, now: Date = Date()) async throws(OIDCFailure) -> IDToken {
        guard token.utf8.count <= 16 * 1024 else { throw .refused("ID token too large") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(parts[0]), let payloadBytes = Base64URL.decode(parts[1]),
              let signature = Base64URL.decode(parts[2]), !signature.isEmpty,
              let header = try? JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any] else {
            throw .refused("malformed ID token")
        }
        // Only RS256: `none`, HMAC with a public key as secret, and every other algorithm are refused.
        guard header["alg"] as? String == "RS256" else { throw .refused("ID token algorithm is not RS256") }
        guard header["crit"] == nil else { throw .refused("ID token has a crit header") }
        if header["kid"] != nil, !(header["kid"] is String) { throw .refused("malformed kid") }
        let key = try await keys.key(for: header["kid"] as? String, now: now.timeIntervalSince1970)
        let signed = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
        guard key.verifySHA256(signature: signature, message: signed) else { throw .refused("bad ID token signature") }

        guard let claims = try? JSONSerialization.jsonObject(with: Data(payloadBytes)) as? [String: Any] else {
            throw .refused("malformed ID token claims")
        }
        guard claims["iss"] as? String == issuer else { throw .refused("wrong issuer") }
        let audiences = (claims["aud"] as? String).map { [$0] } ?? (claims["aud"] as? [String]) ?? []
        guard audiences.contains(clientID) else { throw .refused("wrong audience") }
        if audiences.count > 1 || claims["azp"] != nil {
            guard claims["azp"] as? String == clientID else { throw .refused("wrong or missing azp") }
        }
        let time = now.timeIntervalSince1970
        guard let exp = Self.number(claims["exp"]) else { throw .refused("missing exp") }
        guard time <= exp + leeway else { throw .refused("ID token expired") }
        guard let iat = Self.number(claims["iat"]) else { throw .refused("missing iat") }
        guard iat <= time + leeway else { throw .refused("ID token issued in the future") }
        guard time - iat <= maxAge + leeway else { throw .refused("ID token issued too long ago") }
        if claims["nbf"] != nil {
            guard let nbf = Self.number(claims["nbf"]), nbf <= time + leeway else { throw .refused("ID token not yet valid") }
        }
        guard let nonce = claims["nonce"] as? String,
              Digest.constantTimeEqual(Array(nonce.utf8), Array(expectedNonce.utf8)) else { throw .refused("wrong nonce") }
        guard let subject = claims["sub"] as? String, !subject.isEmpty, subject.utf8.count <= 255 else {
            throw .refused("missing or oversized sub")
        }
        return IDToken(subject: subject, claims: claims, token: token)
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
