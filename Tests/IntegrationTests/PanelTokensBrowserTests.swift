import Foundation
import Harness
import Testing
import TestSupport

/// The Tokens view in a real headless Chromium: a member makes a personal token (shown once), a tool uses it through the
/// API, the member revokes it in the panel and the tool's next request is refused; an admin of every project sees
/// everyone's tokens. Labels, names and axe-core as in ``PanelViewsBrowserTests``.
@Suite(.serialized) struct PanelTokensBrowserTests {
    static func query(_ selector: String) -> String { PanelViewsBrowserTests.query(selector) }

    @Test func aMemberMakesUsesAndRevokesATokenInThePanel() async throws {
        let browser = try Chromium(width: 1400, height: 1000)
        let scenario = try await PanelScenario.start()
        defer { scenario.system.directory.remove() }
        let axe = ChromiumPage.axeSource()
        let member = try await scenario.token(subject: "mia", role: "member", project: "ZK")
        let page = try await browser.newPage()
        try await page.navigate(scenario.base + "#token=" + member)
        try await page.waitFor("document.querySelectorAll('#ticket-table tbody tr').length > 0", what: "the member's ticket list")
        try await PanelScenario.navigate(page, to: "Tokens")
        try await page.waitFor(Self.query("#token-form") + " && " + Self.query("#no-tokens"), what: "the token form, no tokens yet")
        // Roles up to the member's own: no admin offered.
        let offered = try #require(try await page.evaluate("[..." + Self.query("#token-role") + ".options].map(o => o.value)") as? [String])
        #expect(offered == ["viewer", "member"], "\(offered)")
        try await PanelScenario.checkAccessibility(page, "tokens (member)", axe: axe)

        try await page.type("#token-name", "ci-bot")
        try await page.evaluate(Self.query("#token-role") + ".value = 'viewer'")
        try await page.click("#create-token")
        try await page.waitFor("(" + Self.query("#new-token") + "?.value || '').split('.').length === 3", what: "the new token, shown once")
        let token = try #require(try await page.string(Self.query("#new-token") + ".value"))
        try await page.waitFor("document.querySelectorAll('#tokens-table tbody tr').length === 1", what: "the token listed")
        let id = try #require(try await page.string(Self.query("#tokens-table tbody tr") + ".dataset.token"))
        #expect(try await page.string(Self.query("#tokens-table tbody tr") + ".textContent")?.contains("ZK: viewer") == true)
        #expect(try await page.string(Self.query("#new-token-help") + ".textContent")?.contains("shown only this once") == true)
        try await PanelScenario.checkAccessibility(page, "tokens (made one)", axe: axe)

        // A tool uses it: a viewer of ZK.
        #expect(try await scenario.call("GET", "/api/v1/tickets?project=ZK&limit=1", token: token).status == 200)
        #expect(try await scenario.call("POST", "/api/v1/tickets/ZK-1200/recommendations", token: token).status == 403)

        // Revoked in the panel: the tool's next request is refused.
        try await page.click("#tokens-table button[data-token='\(id)']")
        try await page.waitFor(Self.query("#tokens-table tbody tr[data-state='revoked']"), what: "the token shown revoked")
        #expect(try await scenario.call("GET", "/api/v1/tickets?project=ZK&limit=1", token: token).status == 401)
        #expect(try await scenario.call("GET", "/api/v1/tickets?project=ZK&limit=1", token: member).status == 200)

        // An admin of every project sees everyone's tokens, with their owners.
        try await page.navigate("about:blank")
        try await page.navigate(scenario.base + "#token=" + scenario.admin)
        try await page.waitFor("document.querySelectorAll('#ticket-table tbody tr').length > 0", what: "the admin's ticket list")
        try await PanelScenario.navigate(page, to: "Tokens")
        try await page.waitFor(Self.query("#tokens-table tbody tr[data-token='\(id)']"), what: "mia's token in the admin's list")
        #expect(try await page.string(Self.query("#token-list-title") + ".textContent") == "Every token of the tenant")
        #expect(try await page.string(Self.query("#tokens-table tbody tr[data-token='\(id)']") + ".textContent")?.contains("mia") == true)
        #expect(page.problems().isEmpty, "\(page.problems())")
    }
}
