import Foundation
import Harness
import Testing
import TestSupport

/// Single sign-on against a real OpenID Connect provider (oidc-provider-mock, from PyPI): the code flow with PKCE,
/// refusals of a wrong state and of a replayed code, roles from groups, the person matched by a claim, the session
/// cookie's attributes (Secure behind a TLS proxy), CSRF, and sign-out ending the session.
@Suite(.serialized) struct SingleSignOnIntegrationTests {
    static var users: [String: [String: Any]] { [
        "idp-7f3a": ["groups": ["ops-team", "unmapped"], "email": "alice@example.com", "jira_account": "alice", "name": "Alice"],
    ] }

    /// Starts the provider and a system whose tenant `acme` holds projects OPS and WEB, with single sign-on into `acme`.
    func start() async throws -> (OpenIDProvider, RunningSystem, String, String) {
        let idp = try await OpenIDProvider(users: Self.users)
        var environment = idp.environment(tenant: "acme", groupRoles: #"{"ops-team": {"OPS": "member"}, "leads": {"*": "admin"}}"#,
                                          personClaim: "jira_account")
        environment["SMART_TICKET_HTTP_TRUSTED_PROXIES"] = "127.0.0.1"
        let system = try await RunningSystem(environment: environment)
        let base = try #require(system.url)
        let port = try #require(URL(string: base)?.port)
        try await idp.register(redirectURIs: ["http://127.0.0.1:\(port)/auth/oidc/callback", "https://127.0.0.1:\(port)/auth/oidc/callback"])
        let admin = try await GatewayIntegrationTests().token(system, tenant: "acme", subject: "ada", role: "admin")
        let history = InstancesIntegrationTests.history()
            + InstancesIntegrationTests.line("WEB-1", "checkout page fails", assignee: nil, done: false, daysAgo: 1) + "\n"
        let imported = try await GatewayIntegrationTests.Client(base: base).call("POST", "/api/v1/import", token: admin, body: history)
        #expect(imported.0 == 200 && (imported.1["rejected"] as? [Any] ?? []).isEmpty, "\(imported.1)")
        // WEB exists: what the session does not see there is hidden from it, not missing.
        #expect(try await GatewayIntegrationTests.Client(base: base).call("GET", "/api/v1/tickets/WEB-1", token: admin).0 == 200)
        return (idp, system, base, admin)
    }

    /// Goes to the provider with the gateway's redirect and signs in there as `subject` (its own login form); returns
    /// the callback URL the provider sends the browser back to.
    func authorize(_ client: inout CookieClient, _ base: String, as subject: String, headers: [String: String] = [:]) async throws -> String {
        let login = try await client.send("GET", base + "auth/oidc/login", headers: headers)
        #expect(login.status == 302)
        let location = try #require(login.header("Location"))
        let query = URLComponents(string: location)?.queryItems ?? []
        #expect(query.first { $0.name == "code_challenge_method" }?.value == "S256")
        #expect(query.contains { $0.name == "state" } && query.contains { $0.name == "nonce" } && query.contains { $0.name == "code_challenge" })
        var idp = CookieClient()
        let answer = try await idp.send("POST", location, headers: ["Content-Type": "application/x-www-form-urlencoded"], body: "sub=\(subject)")
        #expect(answer.status == 302, "\(answer.body)")
        return try #require(answer.header("Location"))
    }

    @Test func signInSeesOnlyTheGroupsProjectsNeedsCSRFAndSignOutEndsTheSession() async throws {
        let (idp, system, base, admin) = try await start()
        defer { system.directory.remove(); idp.stop() }
        var browser = CookieClient()
        #expect(try await browser.send("GET", base + "auth/config").json["oidc"] as? Bool == true)

        // The sign-in's cookie: HttpOnly, Lax, only for /auth/oidc, not Secure over plain http.
        var look = CookieClient()
        let login = try await look.send("GET", base + "auth/oidc/login")
        let loginCookie = try #require(login.setCookie("smart_ticket_oidc"))
        #expect(loginCookie.contains("; HttpOnly") && loginCookie.contains("SameSite=Lax") && loginCookie.contains("Path=/auth/oidc"))
        #expect(!loginCookie.contains("Secure"))

        // The real sign-in, at the provider's own login form.
        let callback = try await authorize(&browser, base, as: "idp-7f3a")
        let beforeCallback = browser

        // With a good code but another state, or without the sign-in's cookie (another browser), the callback is
        // refused with a page before the code is used, and no session starts.
        var items = URLComponents(string: callback)!
        items.queryItems = items.queryItems?.map { $0.name == "state" ? URLQueryItem(name: "state", value: "not-the-one") : $0 }
        var wrongStateBrowser = beforeCallback
        let wrongState = try await wrongStateBrowser.send("GET", items.string!)
        #expect(wrongState.status == 400)
        #expect(wrongState.header("Content-Type")?.hasPrefix("text/html") == true && wrongState.body.contains("Start again"))
        #expect(wrongState.setCookie("smart_ticket_session") == nil && wrongStateBrowser.jar["smart_ticket_session"] == nil)
        var otherBrowser = CookieClient()
        let noCookie = try await otherBrowser.send("GET", callback)
        #expect(noCookie.status == 400 && noCookie.body.contains("not started in this browser"), "\(noCookie.body)")
        #expect(otherBrowser.jar["smart_ticket_session"] == nil)
        let landed = try await browser.send("GET", callback)
        #expect(landed.status == 302 && landed.header("Location") == "/#/tickets", "\(landed.body)")
        let sessionCookie = try #require(landed.setCookie("smart_ticket_session"))
        #expect(sessionCookie.contains("; HttpOnly") && sessionCookie.contains("; SameSite=Lax") && sessionCookie.contains("Path=/;"))
        #expect(!sessionCookie.contains("Secure"))
        #expect(browser.jar["smart_ticket_oidc"] == nil, "the sign-in's cookie is gone")

        // Who the session is: the provider's subject, roles from the groups, the person named by the claim.
        let session = try await browser.send("GET", base + "auth/session")
        #expect(session.status == 200)
        #expect(session.json["subject"] as? String == "idp-7f3a" && session.json["tenant"] as? String == "acme")
        #expect(session.json["roles"] as? [String: String] == ["OPS": "member"])
        #expect(session.json["person"] as? String == "alice")
        let csrf = try #require(session.json["csrfToken"] as? String)

        // Only OPS: WEB is not found.
        let projects = try await browser.send("GET", base + "api/v1/projects")
        #expect((projects.json["items"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["OPS"], "\(projects.body)")
        #expect(try await browser.send("GET", base + "api/v1/tickets/OPS-1").status == 200)
        #expect(try await browser.send("GET", base + "api/v1/tickets/WEB-1").status == 404)
        #expect(try await browser.send("GET", base + "api/v1/tickets?project=WEB").status == 404)
        // The person themselves: alice's export is hers, bob's is not.
        #expect(try await browser.send("GET", base + "api/v1/people/alice/export").status == 200)
        #expect(try await browser.send("GET", base + "api/v1/people/bob/export").status == 403)

        // CSRF: a state change through the cookie needs the session's token; bearer tokens need none.
        let ticket = #"{"key": "OPS-500", "project": "OPS", "title": "disk full on the build host"}"#
        let json = ["Content-Type": "application/json"]
        let forged = try await browser.send("POST", base + "api/v1/tickets", headers: json, body: ticket)
        #expect(forged.status == 403 && (forged.json["error"] as? [String: Any])?["code"] as? String == "CSRF", "\(forged.body)")
        let wrong = try await browser.send("POST", base + "api/v1/tickets", headers: json.merging(["X-CSRF-Token": csrf + "x"]) { $1 }, body: ticket)
        #expect(wrong.status == 403)
        #expect(try await GatewayIntegrationTests.Client(base: base).call("GET", "/api/v1/tickets/OPS-500", token: admin).0 == 404,
                "nothing was created")
        let created = try await browser.send("POST", base + "api/v1/tickets", headers: json.merging(["X-CSRF-Token": csrf]) { $1 }, body: ticket)
        #expect(created.status == 201, "\(created.body)")
        let bearer = try await GatewayIntegrationTests.Client(base: base).call(
            "POST", "/api/v1/tickets", token: admin, body: #"{"key": "OPS-501", "project": "OPS", "title": "bearer needs no CSRF"}"#)
        #expect(bearer.0 == 201)

        // A role granted in SmartTicket to the provider's subject applies to the session too.
        let grant = try await GatewayIntegrationTests.Client(base: base).call(
            "PUT", "/api/v1/projects/WEB/roles/idp-7f3a", token: admin, body: #"{"role": "viewer"}"#)
        #expect(grant.0 == 200, "\(grant.1)")
        let granted = try await browser.send("GET", base + "api/v1/projects")
        #expect(Set((granted.json["items"] as? [[String: Any]])?.compactMap { $0["key"] as? String } ?? []) == ["OPS", "WEB"], "\(granted.body)")
        #expect(try await browser.send("GET", base + "api/v1/tickets/WEB-1").status == 200)

        // The same code again (the provider refuses its second exchange): an error page, and no session.
        var replay = beforeCallback
        let replayed = try await replay.send("GET", callback)
        #expect(replayed.status == 400 && replayed.body.contains("Sign in again"), "\(replayed.body)")
        #expect(replayed.setCookie("smart_ticket_session") == nil && replay.jar["smart_ticket_session"] == nil)
        #expect(system.log.contains("token endpoint answered 400 invalid_grant"))

        // The session is registered as a token of kind `session`, listed for its owner (the session itself is current).
        let listed = try await browser.send("GET", base + "api/v1/tokens")
        let sessionRecord = try #require((listed.json["items"] as? [[String: Any]])?.first { $0["kind"] as? String == "session" }, "\(listed.body)")
        #expect(sessionRecord["owner"] as? String == "idp-7f3a" && sessionRecord["current"] as? Bool == true)
        #expect(sessionRecord["revokedAt"] is NSNull)
        let sessionID = try #require(sessionRecord["id"] as? String)

        // Sign-out: needs the CSRF token, clears the cookies, sends the browser to the provider's logout, ends the session.
        let stolen = browser.jar
        #expect(try await browser.send("POST", base + "auth/logout").status == 403)
        let out = try await browser.send("POST", base + "auth/logout", headers: ["X-CSRF-Token": csrf])
        #expect(out.status == 200)
        let next = try #require(out.json["redirect"] as? String)
        #expect(next.hasPrefix(idp.issuer + "/oauth2/end_session?") && next.contains("id_token_hint=")
                && next.contains("post_logout_redirect_uri=" + OpenIDProviderURL.encode(base)), "\(next)")
        #expect(out.setCookie("smart_ticket_session")?.contains("Max-Age=0") == true && browser.jar["smart_ticket_session"] == nil)
        #expect(try await browser.send("GET", base + "api/v1/projects").status == 401)
        // The cookie kept from before is refused too: the session ended at the server.
        var thief = CookieClient(jar: stolen)
        #expect(try await thief.send("GET", base + "api/v1/projects").status == 401)
        #expect(try await thief.send("GET", base + "auth/session").status == 401)
        // Ended in storage too, where every gateway of every pod checks each request's token id.
        let records = try await GatewayIntegrationTests.Client(base: base).call("GET", "/api/v1/tokens?owner=idp-7f3a", token: admin).1
        let ended = (records["items"] as? [[String: Any]])?.first { $0["id"] as? String == sessionID }
        #expect(ended?["revokedAt"] is String && ended?["revokedBy"] as? String == "idp-7f3a", "\(records)")
        // Nothing secret in the log: no code, token or e-mail.
        let log = system.log
        #expect(!log.contains(stolen["smart_ticket_session"] ?? "-") && !log.contains("alice@example.com"))
        #expect(!log.contains(URLComponents(string: callback)?.queryItems?.first { $0.name == "code" }?.value ?? "-"))
    }

    @Test func behindATLSProxyTheCookiesAreSecureAnAdminOrTheProviderEndsASessionAndARotatedKeyIsFetched() async throws {
        let (idp, system, base, admin) = try await start()
        defer { system.directory.remove(); idp.stop() }
        var browser = CookieClient()
        let proxy = ["X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"]
        let login = try await browser.send("GET", base + "auth/oidc/login", headers: proxy)
        #expect(try #require(login.setCookie("smart_ticket_oidc")).hasSuffix("; Secure"))
        let callback = try await authorize(&browser, base, as: "idp-7f3a", headers: proxy)
        #expect(callback.hasPrefix("https://"), "the redirect URI says https behind the proxy: \(callback)")
        // The proxy gets https and forwards to the gateway's plain port.
        let local = callback.replacingOccurrences(of: "https://", with: "http://")
        let landed = try await browser.send("GET", local, headers: proxy)
        #expect(landed.status == 302, "\(landed.body)")
        let cookie = try #require(landed.setCookie("smart_ticket_session"))
        #expect(cookie.contains("; HttpOnly") && cookie.contains("; SameSite=Lax") && cookie.hasSuffix("; Secure"))
        #expect(try await browser.send("GET", base + "auth/session", headers: proxy).status == 200)
        // An admin of every project ends someone's session by revoking it as a token: the next request is refused.
        let sessions = try await GatewayIntegrationTests.Client(base: base).call("GET", "/api/v1/tokens?owner=idp-7f3a", token: admin).1
        let id = try #require((sessions["items"] as? [[String: Any]])?.first { $0["kind"] as? String == "session" }?["id"] as? String)
        #expect(try await GatewayIntegrationTests.Client(base: base).call("DELETE", "/api/v1/tokens/\(id)", token: admin).0 == 204)
        #expect(try await browser.send("GET", base + "api/v1/projects", headers: proxy).status == 401)
        #expect(try await browser.send("GET", base + "auth/session", headers: proxy).status == 401)

        // Signing out at the provider ends the session here too (Back-Channel Logout): it posts a signed logout token.
        var signedIn = CookieClient()
        #expect(try await signedIn.send("GET", try await authorize(&signedIn, base, as: "idp-7f3a")).status == 302)
        #expect(try await signedIn.send("GET", base + "api/v1/projects").status == 200)
        var forged = CookieClient()
        let unsigned = try await forged.send("POST", base + "auth/oidc/backchannel-logout", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                             body: "logout_token=eyJhbGciOiJub25lIn0.eyJzdWIiOiJpZHAtN2YzYSJ9.")
        #expect(unsigned.status == 400, "an unsigned logout token is refused")
        #expect(try await signedIn.send("GET", base + "api/v1/projects").status == 200)
        #expect(try await idp.backchannelLogout(subject: "idp-7f3a", to: base + "auth/oidc/backchannel-logout") == 200, "\(idp.log)")
        #expect(try await signedIn.send("GET", base + "api/v1/projects").status == 401)
        #expect(system.log.contains("sso back-channel logout"))

        // The provider rotates its signing key: the next sign-in's ID token names a kid the gateway has not seen, and the
        // gateway fetches the JWKS again (it may: its last fetch is older than the 30 s between refetches).
        try await idp.rotateKey()
        try await Task.sleep(nanoseconds: 31_000_000_000)
        var next = CookieClient()
        let afterRotation = try await next.send("GET", try await authorize(&next, base, as: "idp-7f3a"))
        #expect(afterRotation.status == 302 && afterRotation.setCookie("smart_ticket_session") != nil, "\(afterRotation.body)")
    }
}

enum OpenIDProviderURL {
    /// Form encoding of a URL as the gateway writes it in a query.
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? text
    }
}
