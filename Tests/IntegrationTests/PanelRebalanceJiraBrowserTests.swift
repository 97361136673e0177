import Foundation
import Harness
import Testing
import TestSupport

/// The Rebalance view of a project synced with (a fake) Jira, in a real headless Chromium: the plan's link opens it,
/// applying shows the move Jira refused (and marks it in the moves), undoing shows the restoring move Jira refused.
@Suite(.serialized) struct PanelRebalanceJiraBrowserTests {
    static func query(_ selector: String) -> String { PanelViewsBrowserTests.query(selector) }

    @Test func theRebalanceViewShowsWhatJiraRefused() async throws {
        let browser = try Chromium(width: 1400, height: 1000)
        let jira = try RebalanceJiraIntegrationTests.site()
        defer { jira.stop() }
        let (system, _, admin, plan) = try await RebalanceJiraIntegrationTests.connectedSystemWithPlan(jira)
        defer { system.directory.remove() }
        let id = try #require(plan["id"] as? String)
        let base = try #require(system.url)
        let page = try await browser.newPage()
        try await page.navigate(base + "#token=" + admin)
        try await page.waitFor("document.querySelector('#whoami')?.textContent.startsWith('ada')", what: "signed in")
        try await page.navigate(base + "#/rebalance?project=ED&plan=\(id)")
        try await page.waitFor(Self.query("#plan") + "?.dataset.plan === '\(id)' && " + Self.query("#apply-plan"), what: "the plan")

        jira.refuseAssignments(of: "ED-22", status: 403)
        try await page.click("#apply-plan")
        try await page.waitFor(Self.query("#refused li[data-ticket='ED-22']"), what: "the move Jira refused")
        #expect(try await page.string(Self.query("#refused li[data-ticket='ED-22']") + ".textContent")?.contains("HTTP 403") == true)
        #expect(try await page.evaluate(Self.query("#moves tr[data-ticket='ED-22']") + ".classList.contains('refused')") as? Bool == true)
        #expect(try await page.string(Self.query("#status") + ".textContent")?.contains("1 refused by Jira") == true)

        jira.refuseAssignments(of: "ED-22", status: nil)
        jira.refuseAssignments(of: "ED-21", status: 409)
        try await page.click("#undo-plan")
        try await page.waitFor(Self.query("#undo-refused li[data-ticket='ED-21']"), what: "the restoring move Jira refused")
        #expect(try await page.string(Self.query("#plan-status") + ".textContent") == "Undone")
        #expect(try await page.unnamedControls().isEmpty)
        #expect(page.problems().isEmpty, "\(page.problems())")
        await browser.close()
        #expect(await system.stop() == 0)
    }
}
