import Contracts
import Crypto
import Foundation
import HTTP
import Model
import Observability
import RPC

/// Sign-in through an OpenID Connect provider: the authorization code flow with PKCE (S256), `state` and `nonce`, the
/// ID token checked by ``IDTokenVerifier``, the groups mapped to roles (`auth.oidc.groupRoles`), the person matched
/// (`auth.oidc.personClaim`), then a session (``Sessions``). `GET /auth/oidc/login` sends the browser to the provider;
/// `GET /auth/oidc/callback` takes it back; the provider's own sign-outs arrive in `SingleSignOn+Logout.swift`.
final class SingleSignOn: Sendable {
    static let loginPath = "/auth/oidc/login"
    static let callbackPath = "/auth/oidc/callback"

    let settings: OIDCSettings
    let provider: OIDCProvider
    let verifier: IDTokenVerifier
    let sessions: Sessions
    private let secret: [UInt8]
    let storage: StorageClient
    let logger: Logger

    init(settings: OIDCSettings, clientSecret: String, secret: [UInt8], sessions: Sessions, storage: StorageClient, logger: Logger,
         keyRefetchInterval: Double = 30) {
        self.settings = settings
        self.provider = OIDCProvider(issuer: settings.issuer, clientID: settings.clientID, clientSecret: clientSecret,
                                     keyRefetchInterval: keyRefetchInterval)
        self.verifier = IDTokenVerifier(issuer: settings.issuer, clientID: settings.clientID)
        self.sessions = sessions
        self.secret = secret
        self.storage = storage
        self.logger = logger
    }

    /// `GET /auth/oidc/login`: a fresh state, nonce and code verifier sealed in a cookie, and the browser sent to the
    /// provider's authorization endpoint.
    func login(_ request: HTTPRequest) async -> HTTPResponse {
        guard let redirectURI = redirectURI(for: request) else {
            return AuthPage.response(400, title: "Cannot start signing in",
                                     message: "The request named no usable host. Open SmartTicket at its usual address, or ask the operator to set auth.oidc.redirectURL.")
        }
        let metadata: OIDCProvider.Metadata
        do {
            metadata = try await provider.metadata()
        } catch {
            logger.warning("sso provider unavailable", ["reason": .string(error.reason)])
            return providerUnavailable()
        }
        let login = OIDCLoginState.fresh(redirectURI: redirectURI)
        var scopes = settings.scopes.split(separator: " ").map(String.init)
        if !scopes.contains("openid") { scopes.insert("openid", at: 0) }
        let query = [("response_type", "code"), ("client_id", settings.clientID), ("redirect_uri", redirectURI),
                     ("scope", scopes.joined(separator: " ")), ("state", login.state), ("nonce", login.nonce),
                     ("code_challenge", login.codeChallenge), ("code_challenge_method", "S256")]
            .map { "\($0.0)=\(OIDCProvider.formEncoded($0.1))" }.joined(separator: "&")
        let separator = metadata.authorizationEndpoint.contains("?") ? "&" : "?"
        let cookie = "\(OIDCLoginState.cookieName)=\(login.sealed(secret: secret)); Path=/auth/oidc; Max-Age=\(Int(OIDCLoginState.lifetime)); "
            + "HttpOnly; SameSite=Lax" + (request.scheme == "https" ? "; Secure" : "")
        return AuthPage.redirect(to: metadata.authorizationEndpoint + separator + query, cookies: [cookie])
    }

    /// `GET /auth/oidc/callback`: checks `state` against the cookie, exchanges the code, verifies the ID token, maps the
    /// groups and starts the session. Any failure is a page saying what to do, and no session.
    func callback(_ request: HTTPRequest) async -> HTTPResponse {
        let query = RequestContext.queryItems(request.query)
        let secure = request.scheme == "https"
        let clearLogin = "\(OIDCLoginState.cookieName)=; Path=/auth/oidc; Max-Age=0; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
        func refused(_ reason: String, _ status: Int = 400, title: String = "Sign-in failed", message: String) -> HTTPResponse {
            logger.notice("sso sign-in refused", ["reason": .string(reason), "client": .string(request.peer ?? "")])
            var page = AuthPage.response(status, title: title, message: message, action: "Sign in again", next: "/")
            page.headers.append(("Set-Cookie", clearLogin))
            return page
        }
        if let error = query["error"] {
            return refused("provider answered error \(error.prefix(64))",
                           message: "The identity provider did not sign you in (\(error.prefix(64))). Sign in again, or ask your administrator for access to SmartTicket.")
        }
        guard let cookie = request.cookie(OIDCLoginState.cookieName), let login = OIDCLoginState.open(cookie, secret: secret) else {
            return refused("no valid login state cookie",
                           message: "This sign-in was not started in this browser, or took longer than 10 minutes. Start again from SmartTicket's sign-in page.")
        }
        guard let state = query["state"], Digest.constantTimeEqual(Array(state.utf8), Array(login.state.utf8)) else {
            return refused("state does not match",
                           message: "The answer from the identity provider does not belong to the sign-in this browser started. Start again from SmartTicket's sign-in page.")
        }
        guard let code = query["code"], !code.isEmpty, code.utf8.count <= 4096 else {
            return refused("no code", message: "The identity provider sent no authorization code. Sign in again.")
        }
        do {
            let tokens = try await provider.exchange(code: code, verifier: login.verifier, redirectURI: login.redirectURI)
            let idToken = try await verifier.verify(tokens.idToken, nonce: login.nonce, keys: provider.keys)
            var claims = idToken.claims
            let needsUserinfo = claims[settings.groupsClaim] == nil || (!settings.personClaim.isEmpty && claims[settings.personClaim] == nil)
            if needsUserinfo, let access = tokens.accessToken, let userinfo = try await provider.userinfo(accessToken: access) {
                // OpenID Connect Core 5.3.2: userinfo speaks for the ID token's subject, or is not used.
                guard userinfo["sub"] as? String == idToken.subject else { throw OIDCFailure.refused("userinfo names another subject") }
                for (name, value) in userinfo where claims[name] == nil { claims[name] = value }
            }
            let groups = IDToken.groups(claims[settings.groupsClaim]) ?? []
            let roles = settings.groupRoles.roles(for: groups)
            let person = try await matchPerson(settings.personClaim.isEmpty ? nil : IDToken.text(claims[settings.personClaim]))
            let now = Date()
            let (token, id) = sessions.start(subject: idToken.subject, roles: roles, person: person, now: now.timeIntervalSince1970)
            // Registered like any token (kind `session`): listed for its owner and admins, who may revoke it.
            let name = Self.sessionName(providerSession: idToken.claims["sid"] as? String)
            let record = StorageContract.TokenRecord(id: id, owner: idToken.subject, name: name, kind: StorageContract.TokenKind.session.rawValue,
                                                     roles: roles.mapValues(\.rawValue), createdAt: now,
                                                     expiresAt: now.addingTimeInterval(sessions.maxLifetime))
            _ = try await storage.call(StorageContract.putToken, record, metadata: Metadata(tenant: settings.tenant, principal: idToken.subject))
            logger.info("sso sign-in", ["subject": .string(String(Digest.sha256Hex(idToken.subject).prefix(16))), "groups": .int(groups.count),
                                        "roles": .int(roles.count), "person": .bool(person != nil)])
            var cookies = [clearLogin, Sessions.cookie(token, maxAge: sessions.lifetime, secure: secure)]
            if let hint = Sessions.hintCookie(idToken.token, maxAge: sessions.maxLifetime, secure: secure) { cookies.append(hint) }
            return AuthPage.redirect(to: "/#/tickets", cookies: cookies)
        } catch let failure as OIDCFailure {
            switch failure {
            case .refused(let reason):
                return refused(reason, message: "The identity provider's answer could not be accepted (the sign-in code may have been used already, "
                               + "or the sign-in took too long). Sign in again; if it keeps failing, ask your administrator to check SmartTicket's log.")
            case .provider(let reason):
                logger.warning("sso provider unavailable", ["reason": .string(reason)])
                var page = providerUnavailable()
                page.headers.append(("Set-Cookie", clearLogin))
                return page
            }
        } catch {
            logger.warning("sso sign-in failed", ["error": .string(String(describing: type(of: error)))])
            return refused("storage unavailable", 503, title: "Sign-in unavailable",
                           message: "SmartTicket could not finish signing you in because one of its services is unavailable. Try again in a moment.")
        }
    }

    /// The person whose id is `value` (as given, then lower-cased: e-mail addresses) in the tenant, nil for none.
    private func matchPerson(_ value: String?) async throws -> String? {
        guard let value, value.utf8.count <= 255 else { return nil }
        let metadata = Metadata(tenant: settings.tenant, principal: "oidc")
        let candidates = value.lowercased() == value ? [value] : [value, value.lowercased()]
        for candidate in candidates {
            do {
                return try await storage.call(StorageContract.getPerson, .init(candidate), metadata: metadata).id
            } catch let error as RPCError where error.code == .notFound || error.code == .invalidArgument {
                continue
            }
        }
        return nil
    }

    /// The callback URL: `auth.oidc.redirectURL`, or built from the request's scheme and `Host`.
    func redirectURI(for request: HTTPRequest) -> String? {
        if !settings.redirectURL.isEmpty { return settings.redirectURL }
        guard let host = request.header("host"), Self.isHost(host) else { return nil }
        return "\(request.scheme)://\(host)\(Self.callbackPath)"
    }

    /// The panel's address, where the provider's logout sends the browser back to.
    func panelURL(for request: HTTPRequest) -> String? {
        guard let callback = redirectURI(for: request), let range = callback.range(of: Self.callbackPath, options: .backwards) else { return nil }
        return String(callback[..<range.lowerBound]) + "/"
    }

    private func providerUnavailable() -> HTTPResponse {
        AuthPage.response(502, title: "Identity provider unavailable",
                          message: "SmartTicket could not reach the identity provider, or did not understand its answer. Try again in a moment; "
                          + "if it keeps failing, ask your administrator to check auth.oidc.issuer and SmartTicket's log.")
    }

    /// `host`, `host:port`, or `[v6]:port`: letters, digits, `.`, `-`, `:` and brackets only.
    static func isHost(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 255 && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "[")
                || byte == UInt8(ascii: "]")
        }
    }
}
