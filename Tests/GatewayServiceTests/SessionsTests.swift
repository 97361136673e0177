import Foundation
import Harness
import HTTP
import Model
import Testing
@testable import GatewayService

/// Single sign-on sessions: the cookie, renewal, the CSRF rule, sign-out's revocation.
@Suite struct SessionsTests {
    static let secret = Array("0123456789abcdef0123456789abcdef".utf8)
    let sessions = Sessions(secret: secret, tenant: "acme", lifetime: 3600, maxLifetime: 4 * 3600)
    let tokens = VerifiedTokens(verifier: JWTVerifier(hmac: .init(secret: secret)))

    func request(_ method: String = "GET", cookie token: String?, csrf: String? = nil) -> HTTPRequest {
        var headers: [String: String] = [:]
        if let token { headers["cookie"] = "theme=dark; \(Sessions.cookieName)=\(token); other=1" }
        if let csrf { headers["x-csrf-token"] = csrf }
        return HTTPRequest(method: method, path: "/api/v1/tickets", headers: headers)
    }

    @Test func aSessionCookieSignsInItsSubjectWithTheRolesAndPersonOfSignIn() throws {
        let (token, id) = sessions.start(subject: "idp|alice", roles: ["WEB": .member], person: "alice@example.com")
        let session = try #require(sessions.session(request(cookie: token), tokens: tokens))
        #expect(session.id == id)
        #expect(session.principal.subject == "idp|alice")
        #expect(session.principal.tenant == "acme")
        #expect(session.principal.tokenRoles == ["WEB": .member])
        #expect(session.principal.person == "alice@example.com")
        #expect(session.principal.scheme == "session")
        #expect(session.expiresAt - session.issuedAt == 3600)
        // Without a matched person, the subject is nobody's record.
        let (anonymous, _) = sessions.start(subject: "bob", roles: [:], person: nil)
        #expect(try #require(sessions.session(request(cookie: anonymous), tokens: tokens)).principal.person == nil)
        // A bearer token from `token create` in the cookie is no session; nor is a session of another tenant.
        let plain = TokenIssuer.issue(secret: Self.secret, tenant: "acme", subject: "bob", roles: ["*": .admin], ttl: 600)
        #expect(sessions.session(request(cookie: plain), tokens: tokens) == nil)
        let elsewhere = Sessions(secret: Self.secret, tenant: "other", lifetime: 3600, maxLifetime: 3600)
        #expect(elsewhere.session(request(cookie: token), tokens: tokens) == nil)
        #expect(sessions.session(request(cookie: nil), tokens: tokens) == nil)
    }

    @Test func renewedPastHalfItsLifeKeepingTheSessionIdUntilTheMaximum() throws {
        let start = Date().timeIntervalSince1970 - 100
        let (token, id) = sessions.start(subject: "alice", roles: ["WEB": .viewer], person: "alice", now: start)
        let session = try #require(sessions.session(token: token, principal: try JWTVerifier(hmac: .init(secret: Self.secret)).verify(token)))
        #expect(sessions.renewal(of: session, now: start + 1700) == nil, "not before half its life")
        let renewed = try #require(sessions.renewal(of: session, now: start + 1800))
        let fresh = try #require(sessions.session(token: renewed, principal: try JWTVerifier(hmac: .init(secret: Self.secret)).verify(renewed)))
        #expect(fresh.id == id)
        #expect(fresh.principal.tokenRoles == ["WEB": .viewer] && fresh.principal.person == "alice")
        #expect(fresh.signedInAt == session.signedInAt)
        #expect(fresh.expiresAt == (start + 1800 + 3600).rounded(.down))
        // Near the maximum (4 h after sign-in) the renewal is shorter, and after it there is none.
        let late = Sessions.Session(principal: session.principal, id: id, issuedAt: start + 4 * 3600 - 2000, expiresAt: start + 4 * 3600 + 1600,
                                    signedInAt: start)
        #expect(sessions.renewal(of: late, now: start + 4 * 3600 - 100) == nil)
    }

    @Test func stateChangesThroughTheCookieNeedTheSessionsCSRFToken() throws {
        let (token, id) = sessions.start(subject: "alice", roles: [:], person: nil)
        let session = try #require(sessions.session(request(cookie: token), tokens: tokens))
        let csrf = sessions.csrfToken(id)
        #expect(sessions.allows(request("GET", cookie: token), session))
        for method in ["POST", "PUT", "PATCH", "DELETE"] {
            #expect(!sessions.allows(request(method, cookie: token), session), "\(method) without the header")
            #expect(!sessions.allows(request(method, cookie: token, csrf: sessions.csrfToken("another-session")), session), "\(method) with another's")
            #expect(sessions.allows(request(method, cookie: token, csrf: csrf), session), "\(method) with it")
        }
        // Another secret gives another token: it cannot be computed without the gateway's secret.
        #expect(Sessions(secret: Array("fedcba9876543210fedcba9876543210".utf8), tenant: "acme", lifetime: 3600, maxLifetime: 3600)
            .csrfToken(id) != csrf)
    }

    @Test func anEndedSessionIsRefusedAtOnce() async throws {
        let told = Locked<[String]>([])
        let sessions = Sessions(secret: Self.secret, tenant: "acme", lifetime: 3600, maxLifetime: 3600,
                                sharedRevocation: { session, _ in told.withLock { $0.append(session.id) } })
        let (token, id) = sessions.start(subject: "alice", roles: [:], person: nil)
        let session = try #require(sessions.session(request(cookie: token), tokens: tokens))   // verified and cached
        await sessions.revokeSession(session)
        #expect(sessions.session(request(cookie: token), tokens: tokens) == nil)
        #expect(told.value == [id], "the shared revocation list is told")
        let (other, _) = sessions.start(subject: "alice", roles: [:], person: nil)
        #expect(sessions.session(request(cookie: other), tokens: tokens) != nil, "a new sign-in is another session")
    }

    @Test func cookiesAreHttpOnlyLaxAndSecureOverTLS() {
        let plain = Sessions.cookie("T", maxAge: 3600, secure: false)
        #expect(plain == "smart_ticket_session=T; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax")
        #expect(Sessions.cookie("T", maxAge: 3600, secure: true).hasSuffix("; HttpOnly; SameSite=Lax; Secure"))
        #expect(Sessions.clearingCookies(secure: true).allSatisfy { $0.1.contains("Max-Age=0") && $0.1.contains("HttpOnly") && $0.1.hasSuffix("Secure") })
        #expect(Sessions.hintCookie(String(repeating: "a", count: 3001), maxAge: 60, secure: false) == nil)
    }
}

@Suite struct OIDCLoginStateTests {
    static let secret = Array("0123456789abcdef0123456789abcdef".utf8)

    @Test func sealedStateOpensOnlyUnalteredUnexpiredAndUnderTheSameSecret() throws {
        let now = Date().timeIntervalSince1970
        let state = OIDCLoginState.fresh(redirectURI: "https://tickets.example.com/auth/oidc/callback", now: now)
        #expect(state.state != state.nonce && state.nonce != state.verifier && state.verifier.count >= 43)
        let sealed = state.sealed(secret: Self.secret)
        #expect(OIDCLoginState.open(sealed, secret: Self.secret, now: now) == state)
        #expect(OIDCLoginState.open(sealed, secret: Array("fedcba9876543210fedcba9876543210".utf8), now: now) == nil)
        #expect(OIDCLoginState.open(sealed, secret: Self.secret, now: now + OIDCLoginState.lifetime + 1) == nil)
        // Another state with the first one's MAC.
        var other = state
        other.state = "attacker"
        let forged = other.sealed(secret: Self.secret).split(separator: ".")[0] + "." + sealed.split(separator: ".")[1]
        #expect(OIDCLoginState.open(String(forged), secret: Self.secret, now: now) == nil)
        #expect(OIDCLoginState.open("garbage", secret: Self.secret, now: now) == nil)
    }

    /// RFC 7636 appendix B.
    @Test func theCodeChallengeIsS256OfTheVerifier() {
        let state = OIDCLoginState(state: "s", nonce: "n", verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", redirectURI: "r", expires: 0)
        #expect(state.codeChallenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }
}
