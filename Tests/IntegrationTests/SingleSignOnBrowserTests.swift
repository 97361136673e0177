import Foundation
import Harness
import Testing
import TestSupport

/// Single sign-on in a real headless Chromium with the demo data: "Sign in with SSO", the identity provider's own login
/// page (oidc-provider-mock), back in the panel with the role the groups give in one project only, then sign-out.
@Suite(.serialized) struct SingleSignOnBrowserTests {
    @Test func aPersonSignsInWithSSOSeesOnlyTheirProjectAndSignsOut() async throws {
        let browser = try Chromium()
        let idp = try await OpenIDProvider(users: ["zoe-42": ["groups": ["zk-team"], "email": "zoe@example.com"]])
        defer { idp.stop() }
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-pristine", "--demo-data", PanelBrowserTests.demo],
                                             environment: idp.environment(tenant: "demo", groupRoles: #"{"zk-team": {"ZK": "member"}}"#))
        defer { system.directory.remove() }
        let base = try #require(system.url)
        try await idp.register(redirectURIs: [base + "auth/oidc/callback"])
        // A second project the group gives no role in.
        let admin = try await PanelBrowserTests().token(system, subject: "ada", role: "admin")
        let imported = try await GatewayIntegrationTests.Client(base: base).call(
            "POST", "/api/v1/import", token: admin, body: InstancesIntegrationTests.line("WEB-1", "checkout page fails", assignee: nil, done: false, daysAgo: 1) + "\n")
        #expect(imported.0 == 200, "\(imported.1)")
        #expect(try await GatewayIntegrationTests.Client(base: base).call("GET", "/api/v1/tickets/WEB-1", token: admin).0 == 200, "WEB exists")
        let page = try await browser.newPage()

        // The sign-in page offers single sign-on; it leads to the provider's own login page.
        try await page.navigate(base)
        try await page.waitFor("document.querySelector('#sign-in-sso')", what: "the Sign in with SSO button")
        #expect(try await page.string("document.querySelector('#sign-in-sso').textContent") == "Sign in with SSO")
        try await page.click("#sign-in-sso")
        try await page.waitFor("location.href.startsWith(\(ChromiumPage.quote(idp.issuer))) && document.querySelector('input[name=sub]')",
                               what: "the identity provider's login page")
        try await page.type("input[name=sub]", "zoe-42")
        try await page.click("form button[type=submit]:not([name])")

        // Back in the panel, signed in: the tickets of ZK, the only project offered.
        try await page.waitFor("document.querySelectorAll('#ticket-table tbody tr').length > 0", what: "the ticket list after SSO")
        #expect(try await page.string("location.href")?.hasPrefix(base) == true)
        #expect(try await page.string("document.querySelector('#whoami').textContent")?.hasPrefix("zoe-42") == true)
        #expect(try await page.string("[...document.querySelectorAll('#project-select option')].map(o => o.value).join(',')") == "ZK")
        #expect(try await page.int("document.querySelectorAll('#sign-in-form').length") == 0)
        // Another project is not found from the page, whatever it asks.
        #expect(try await page.int("fetch('/api/v1/tickets/WEB-1').then(r => r.status)") == 404)
        #expect(try await page.int("fetch('/api/v1/tickets?project=WEB').then(r => r.status)") == 404)
        #expect(try await page.int("fetch('/api/v1/tickets?project=ZK&limit=1').then(r => r.status)") == 200)
        // The session cookie: HttpOnly (the page's scripts cannot read it), SameSite=Lax, for the whole site.
        let cookies = try await page.cookies(for: base)
        let session = try #require(cookies.first { $0["name"] as? String == "smart_ticket_session" }, "\(cookies)")
        #expect(session["httpOnly"] as? Bool == true && session["sameSite"] as? String == "Lax" && session["path"] as? String == "/")
        #expect(try await page.string("document.cookie")?.contains("smart_ticket_session") == false)
        // A change from the panel carries the CSRF token: a member assigns a ticket.
        let key = try #require(try await page.string("document.querySelector('#ticket-table tbody tr').dataset.key"))
        try await page.click("#ticket-table tbody tr a.ticket-link")
        try await page.waitFor("document.querySelectorAll('#candidates li.candidate button.assign').length > 1", what: "the candidates")
        let chosenName = try #require(try await page.string("document.querySelectorAll('#candidates li.candidate')[1].querySelector('.candidate-name').textContent"))
        try await page.click("#candidates li.candidate:nth-child(2) button.assign")
        try await page.waitFor("document.querySelector('#ticket-assignee').textContent === \(ChromiumPage.quote(chosenName))", what: "the new assignee")
        let decisions = try await GatewayIntegrationTests.Client(base: base).call("GET", "/api/v1/tickets/\(key)/decisions", token: admin).1
        #expect((decisions["items"] as? [[String: Any]])?.last?["actor"] as? String == "zoe-42", "\(decisions)")

        // Sign out: the provider's logout page, then back to the panel's sign-in, signed out for good.
        try await page.click("#sign-out")
        try await page.waitFor("location.href.startsWith(\(ChromiumPage.quote(idp.issuer)))", what: "the provider's logout")
        try await page.click("form button[type=submit]")
        try await page.waitFor("location.href.startsWith(\(ChromiumPage.quote(base))) && document.querySelector('#token-input')",
                               what: "the panel's sign-in after sign-out")
        #expect(try await page.cookies(for: base).contains { $0["name"] as? String == "smart_ticket_session" } == false)
        #expect(try await page.int("fetch('/api/v1/projects').then(r => r.status)") == 401)
        #expect(try await page.int("fetch('/auth/session').then(r => r.status)") == 401)
        #expect(page.problems().isEmpty, "\(page.problems())")
        await browser.close()
    }
}
