import Crypto
import Foundation
import HTTP
import Model

/// Single sign-on sessions: a SmartTicket HS256 token (``TokenIssuer``) of kind `session` in an HttpOnly cookie, with the
/// session's id as its `jti` (kept when the token is renewed, so revoking that id ends every token the session was
/// given), `pid` the person matched at sign-in and `sat` the time of sign-in. A request past half its token's life
/// gets a fresh cookie, until ``maxLifetime`` after sign-in. Requests authenticated by the cookie that change state need
/// the header `X-CSRF-Token` with ``csrfToken(_:)`` of the session (given by `GET /auth/session`).
final class Sessions: Sendable {
    static let cookieName = "smart_ticket_session"
    /// The ID token, kept for the provider's logout (`id_token_hint`); sent only to `/auth/logout`.
    static let hintCookieName = "smart_ticket_idt"
    static let csrfHeader = "X-CSRF-Token"
    static let hintPath = "/auth/logout"
    /// Methods that change state, and so need the CSRF header when the session cookie authenticates them.
    static let stateChangingMethods: Set<String> = ["POST", "PUT", "PATCH", "DELETE"]

    /// A session presented by a request.
    struct Session: Sendable {
        let principal: Principal
        let id: String
        let issuedAt: Double
        let expiresAt: Double
        let signedInAt: Double
    }

    private let secret: [UInt8]
    let tenant: String
    /// Seconds one token (and its cookie) lasts.
    let lifetime: Double
    /// Seconds after sign-in after which a session is no longer renewed.
    let maxLifetime: Double
    let revocations = SessionRevocations()
    /// Where a sign-out's revocation goes besides this gateway's memory (see ``revokeSession(_:now:)``): the ended
    /// session and the time its last token expires.
    typealias SharedRevocation = @Sendable (Session, Double) async -> Void
    private let sharedRevocation: SharedRevocation

    init(secret: [UInt8], tenant: String, lifetime: Double, maxLifetime: Double, sharedRevocation: @escaping SharedRevocation = { _, _ in }) {
        self.secret = secret
        self.tenant = tenant
        self.lifetime = lifetime
        self.maxLifetime = max(lifetime, maxLifetime)
        self.sharedRevocation = sharedRevocation
    }

    /// A new session's token for `subject` with `roles` (from the groups) and the matched `person`.
    func start(subject: String, roles: [String: Role], person: String?, now: Double = Date().timeIntervalSince1970) -> (token: String, id: String) {
        let id = TokenIssuer.newID()
        return (token(id: id, subject: subject, roles: roles, person: person, signedInAt: now, ttl: lifetime, now: now), id)
    }

    /// The valid, unrevoked session of the request's cookie, nil for none.
    func session(_ request: HTTPRequest, tokens: VerifiedTokens, now: Double = Date().timeIntervalSince1970) -> Session? {
        guard let token = request.cookie(Self.cookieName),
              let principal = try? tokens.principal(token, now: Date(timeIntervalSince1970: now)) else { return nil }
        return session(token: token, principal: principal, now: now)
    }

    /// The session of a verified token, nil when the token is no session of this gateway or the session was ended.
    func session(token: String, principal: Principal, now: Double = Date().timeIntervalSince1970) -> Session? {
        guard principal.scheme == "session", principal.tenant == tenant, let id = principal.sessionID,
              !revocations.isRevoked(id, now: now) else { return nil }
        // The token verified: its claims are read again only for the times.
        let parts = token.split(separator: ".")
        guard parts.count == 3, let payload = Base64URL.decode(parts[1]),
              let claims = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
              let iat = (claims["iat"] as? NSNumber)?.doubleValue, let exp = (claims["exp"] as? NSNumber)?.doubleValue else { return nil }
        let signedIn = (claims["sat"] as? NSNumber)?.doubleValue ?? iat
        return Session(principal: principal, id: id, issuedAt: iat, expiresAt: exp, signedInAt: signedIn)
    }

    /// A fresh token for `session` when it is past half its token's life and may still be renewed; nil otherwise.
    func renewal(of session: Session, now: Double = Date().timeIntervalSince1970) -> String? {
        guard now - session.issuedAt >= (session.expiresAt - session.issuedAt) / 2 else { return nil }
        let ttl = min(lifetime, session.signedInAt + maxLifetime - now)
        guard ttl >= 60, ttl > session.expiresAt - now else { return nil }
        return token(id: session.id, subject: session.principal.subject, roles: session.principal.tokenRoles,
                     person: session.principal.person, signedInAt: session.signedInAt, ttl: ttl, now: now)
    }

    /// The CSRF token of session `id`: an HMAC of the id under a key derived from the JWT secret, so it cannot be
    /// computed without the secret, and stays the same across renewals.
    func csrfToken(_ id: String) -> String {
        Base64URL.encode(Digest.hmacSHA256(key: Digest.hmacSHA256(key: secret, message: Array("smart-ticket csrf".utf8)), message: Array(id.utf8)))
    }

    /// Whether a request authenticated by `session`'s cookie may go on: reads always, state changes only with the
    /// session's CSRF token in `X-CSRF-Token`.
    func allows(_ request: HTTPRequest, _ session: Session) -> Bool {
        guard Self.stateChangingMethods.contains(request.method) else { return true }
        guard let header = request.header(Self.csrfHeader) else { return false }
        return Digest.constantTimeEqual(Array(header.utf8), Array(csrfToken(session.id).utf8))
    }

    /// Ends `session` now: this gateway refuses its tokens at once, until the last of them expires (a renewal gives at
    /// most ``lifetime`` from now; leeway added).
    ///
    /// This is the one place a sign-out revokes a session: `sharedRevocation` (given by `GatewayServer.singleSignOn`)
    /// is where the shared list of revoked token ids (`jti`) is told, so every gateway and pod refuses it too.
    func revokeSession(_ session: Session, now: Double = Date().timeIntervalSince1970) async {
        let until = now + lifetime + 120
        revocations.revoke(session.id, until: until)
        await sharedRevocation(session, until)
    }

    /// `Set-Cookie` for a session token valid `maxAge` seconds; `Secure` when the request came over TLS.
    static func cookie(_ token: String, maxAge: Double, secure: Bool) -> String {
        "\(cookieName)=\(token); Path=/; Max-Age=\(max(0, Int(maxAge))); HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }

    /// `Set-Cookie` for the ID token kept for the provider's logout, or nil when it is too large for a cookie.
    static func hintCookie(_ idToken: String, maxAge: Double, secure: Bool) -> String? {
        guard idToken.utf8.count <= 3000, idToken.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: ",") })
        else { return nil }
        return "\(hintCookieName)=\(idToken); Path=\(hintPath); Max-Age=\(max(0, Int(maxAge))); HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }

    /// `Set-Cookie` headers that remove the session's cookies.
    static func clearingCookies(secure: Bool) -> [(String, String)] {
        let tail = "; Max-Age=0; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
        return [("Set-Cookie", "\(cookieName)=; Path=/" + tail), ("Set-Cookie", "\(hintCookieName)=; Path=\(hintPath)" + tail)]
    }

    private func token(id: String, subject: String, roles: [String: Role], person: String?, signedInAt: Double, ttl: Double, now: Double) -> String {
        var claims: [String: any Sendable] = ["sat": Int(signedInAt)]
        if let person { claims["pid"] = person }
        return TokenIssuer.issue(secret: secret, tenant: tenant, subject: subject, roles: roles, ttl: ttl, id: id, kind: "session",
                                 now: Date(timeIntervalSince1970: now), extraClaims: claims)
    }
}
