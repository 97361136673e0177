import Crypto
import Foundation
import HTTP

/// The `/auth` routes, which need no bearer token: whether single sign-on is offered (`GET /auth/config`), the sign-in
/// (`GET /auth/oidc/login`, `GET /auth/oidc/callback`, in ``SingleSignOn``), the session the cookie holds
/// (`GET /auth/session`), sign-out (`POST /auth/logout`) and the provider's (`POST /auth/oidc/backchannel-logout`). Without `auth.oidc.issuer` they say single sign-on is off.
struct AuthRoutes: Sendable {
    let sso: SingleSignOn?
    /// The API, whose token cache and revocation check sessions share.
    let api: API

    static let routeList = [("GET", "/auth/config"), ("GET", SingleSignOn.loginPath), ("GET", SingleSignOn.callbackPath),
                            ("GET", "/auth/session"), ("POST", "/auth/logout"), ("POST", SingleSignOn.backchannelLogoutPath)]

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        switch (request.method, request.path) {
        case (_, "/auth/config"):
            return HTTPResponse.json(200, sso == nil ? #"{"oidc":false}"# : #"{"oidc":true,"login":"\#(SingleSignOn.loginPath)"}"#)
        case (_, SingleSignOn.loginPath):
            guard let sso else { return Self.notConfigured }
            return await sso.login(request)
        case (_, SingleSignOn.callbackPath):
            guard let sso else { return Self.notConfigured }
            return await sso.callback(request)
        case (_, "/auth/session"):
            return await session(request)
        case (_, SingleSignOn.backchannelLogoutPath):
            guard let sso else { return .error(404, code: "NOT_FOUND", message: "single sign-on is not configured (auth.oidc.issuer)") }
            return await sso.backchannelLogout(request)
        default:
            return await logout(request)
        }
    }

    static var notConfigured: HTTPResponse {
        AuthPage.response(404, title: "Single sign-on is not configured",
                          message: "This SmartTicket signs people in with API tokens only. Sign in with a token, or ask the operator to set auth.oidc.issuer.")
    }

    /// `GET /auth/session`: who the session cookie signs in, the CSRF token its state-changing requests must send in
    /// `X-CSRF-Token`, and when it expires; 401 without a valid session.
    func session(_ request: HTTPRequest) async -> HTTPResponse {
        guard let sessions = sso?.sessions, let session = await liveSession(request) else {
            return .error(401, code: "UNAUTHENTICATED", message: "no single sign-on session: sign in at \(SingleSignOn.loginPath), or with an API token")
        }
        struct Body: Encodable {
            let subject: String
            let tenant: String
            let person: String?
            let roles: [String: String]
            let csrfToken: String
            let expiresAt: Int
        }
        var expires = session.expiresAt
        var cookie: String?
        if let renewed = sessions.renewal(of: session) {
            cookie = Sessions.cookie(renewed, maxAge: sessions.lifetime, secure: request.scheme == "https")
            expires = sessions.session(token: renewed, principal: session.principal)?.expiresAt ?? expires
        }
        let principal = session.principal
        let body = Body(subject: principal.subject, tenant: principal.tenant, person: principal.person,
                        roles: principal.tokenRoles.mapValues(\.rawValue), csrfToken: sessions.csrfToken(session.id), expiresAt: Int(expires))
        var response = HTTPResponse(status: 200, headers: [("Content-Type", "application/json"), ("Cache-Control", "no-store")],
                                    body: Array((try? JSONEncoder().encode(body)) ?? Data()))
        if let cookie { response.headers.append(("Set-Cookie", cookie)) }
        return response
    }

    /// `POST /auth/logout`: ends the cookie's session (with its CSRF token; 403 without it), removes the cookies, and
    /// answers where to send the browser: the provider's `end_session_endpoint` when it has one, else the panel.
    func logout(_ request: HTTPRequest) async -> HTTPResponse {
        let secure = request.scheme == "https"
        var location = "/"
        if let sso, let session = await liveSession(request) {
            guard sso.sessions.allows(request, session) else { return Self.csrfRefused }
            await sso.sessions.revokeSession(session)
            sso.logger.info("sso sign-out", ["subject": .string(String(Digest.sha256Hex(session.principal.subject).prefix(16)))])
            if let metadata = try? await sso.provider.metadata(), let endpoint = metadata.endSessionEndpoint {
                var parameters = [("client_id", sso.settings.clientID)]
                if let hint = request.cookie(Sessions.hintCookieName) { parameters.append(("id_token_hint", hint)) }
                if let panel = sso.panelURL(for: request) { parameters.append(("post_logout_redirect_uri", panel)) }
                location = endpoint + (endpoint.contains("?") ? "&" : "?")
                    + parameters.map { "\($0.0)=\(OIDCProvider.formEncoded($0.1))" }.joined(separator: "&")
            }
        }
        var response = HTTPResponse(status: 200, headers: [("Content-Type", "application/json"), ("Cache-Control", "no-store")],
                                    body: Array((try? JSONEncoder().encode(["redirect": location])) ?? Data()))
        response.headers += Sessions.clearingCookies(secure: secure)
        return response
    }

    /// The request's session when it is valid and not revoked (in this gateway, or in storage's list: a sign-out through
    /// another gateway, or a revocation by an admin); nil otherwise, and when storage cannot say.
    func liveSession(_ request: HTTPRequest) async -> Sessions.Session? {
        guard let session = sso?.sessions.session(request, tokens: api.tokens),
              (try? await api.tokenRegistry.isRevoked(session.principal)) == false else { return nil }
        return session
    }

    static var csrfRefused: HTTPResponse {
        .error(403, code: "CSRF", message: "this request is authenticated by the session cookie and changes state, so it needs the header "
               + "X-CSRF-Token with the csrfToken of GET /auth/session; reload the page and try again")
    }
}
