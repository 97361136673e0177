import Foundation
import Harness
import Testing
import TestSupport

/// The views of issue 22 as a viewer and as a member, in a real headless Chromium against the demo system: a viewer
/// reads every view without a control that would fail, reviews a plan from its link, and changes their own time off;
/// a member runs a what-if but cannot apply it. Labels, names and axe-core as in ``PanelViewsBrowserTests``.
@Suite(.serialized) struct PanelViewsReadOnlyBrowserTests {
    static func query(_ selector: String) -> String { PanelViewsBrowserTests.query(selector) }

    @Test func viewersReadAndMembersReplay() async throws {
        let browser = try Chromium(width: 1400, height: 1000)
        let scenario = try await PanelScenario.start()
        defer { scenario.system.directory.remove() }
        let axe = ChromiumPage.axeSource()
        let assigned = try await scenario.assignOpenWork(count: 12, overridden: [3])
        let worker = try #require(assigned.first?.assignee)
        let plan = try await scenario.call("POST", "/api/v1/projects/ZK/rebalance")
        #expect(plan.status == 201, "\(plan.json)")
        let planID = try #require(plan.json["id"] as? String)
        let viewer = try await scenario.token(subject: "vera", role: "viewer", project: "ZK")
        let page = try await browser.newPage()

        // A viewer: every view reads, none offers what the API would refuse.
        try await page.navigate(scenario.base + "#token=" + viewer)
        try await page.waitFor("document.querySelectorAll('#ticket-table tbody tr').length > 0", what: "the viewer's ticket list")
        let names = try #require(try await page.evaluate("[...document.querySelectorAll('#nav a')].map(a => a.textContent)") as? [String])
        #expect(names == PanelScenario.navigation, "\(names)")
        try await PanelScenario.navigate(page, to: "People")
        try await page.waitFor("document.querySelectorAll('#people-table tbody tr').length > 0", what: "people with work")
        try await PanelScenario.checkAccessibility(page, "people (viewer)", axe: axe)
        try await page.click("#people-table tbody tr a.person-link")
        try await page.waitFor(Self.query("#availability-readonly") + " && " + Self.query("#time-off"), what: "a person, read only")
        #expect(try await page.int("document.querySelectorAll('#availability-form, #time-off-form, #declared-form, #time-off-list button').length") == 0)
        try await PanelScenario.navigate(page, to: "Rebalance")
        try await page.waitFor(Self.query("#no-plan"), what: "no plan for a viewer")
        #expect(try await page.evaluate(Self.query("#make-plan") + " === null") as? Bool == true)
        try await page.navigate(scenario.base + "#/rebalance?plan=\(planID)")
        try await page.waitFor(Self.query("#plan") + "?.dataset.plan === '\(planID)'", what: "the plan from its link")
        #expect(try await page.evaluate(Self.query("#apply-plan") + " === null && " + Self.query("#undo-plan") + " === null") as? Bool == true)
        try await PanelScenario.checkAccessibility(page, "rebalance (viewer)", axe: axe)
        try await PanelScenario.navigate(page, to: "What-if")
        try await page.waitFor(Self.query("#whatif-denied"), what: "what-if needs a member")
        try await PanelScenario.navigate(page, to: "Quality")
        try await page.waitFor(Self.query("#advice") + " && " + Self.query("#replay-figure"), what: "quality, read only")
        #expect(try await page.string(Self.query("#replay-figure") + ".textContent")?.contains("member role") == true)
        #expect(try await page.evaluate(Self.query("#apply-advice") + " === null") as? Bool == true)
        #expect(try await page.string(Self.query("#quality-stats") + ".textContent")?.contains("Top-1 accepted") == true)
        try await PanelScenario.checkAccessibility(page, "quality (viewer)", axe: axe)
        try await PanelScenario.navigate(page, to: "Audit")
        try await page.waitFor(Self.query("#audit-denied"), what: "the audit is for admins")
        #expect(try await page.int("document.querySelectorAll('main input, main select, main button').length") == 0)
        #expect(try await page.string(Self.query("#audit-denied") + ".textContent")?.contains("for its admins") == true)
        try await PanelScenario.checkAccessibility(page, "audit (viewer)", axe: axe)
        try await PanelScenario.navigate(page, to: "Settings")
        try await page.waitFor(Self.query("#settings-readonly") + " && " + Self.query("#roles-denied"), what: "settings, read only")
        #expect(try await page.int("document.querySelectorAll('main input, main select, main textarea, main button').length") == 0)
        try await PanelScenario.checkAccessibility(page, "settings (viewer)", axe: axe)

        // A person (a viewer) changes their own time off; the admin-only fields are not offered.
        let own = try await scenario.token(subject: worker, role: "viewer", project: "ZK")
        try await page.navigate("about:blank")
        try await page.navigate(scenario.base + "#token=" + own)
        try await page.waitFor("document.querySelectorAll('#ticket-table tbody tr').length > 0", what: "the person's ticket list")
        try await page.navigate(scenario.base + "#/person/" + PanelScenario.segment(worker))
        try await page.waitFor(Self.query("#time-off-form") + " && " + Self.query("#availability-form"), what: "their own forms")
        #expect(try await page.evaluate(Self.query("#person-name") + " === null && " + Self.query("#person-active") + " === null") as? Bool == true)
        try await page.evaluate(Self.query("#add-time-off-start") + ".value = '2099-03-02'; " + Self.query("#add-time-off-end") + ".value = '2099-03-06'")
        try await page.click("#add-time-off")
        try await page.waitFor(Self.query("#time-off-list li[data-start='2099-03-02']"), what: "their time off")
        let stored = try await scenario.call("GET", "/api/v1/people/\(PanelScenario.segment(worker))").json
        #expect((stored["timeOff"] as? [[String: Any]])?.contains { $0["start"] as? String == "2099-03-02" && $0["end"] as? String == "2099-03-06" } == true,
                "\(stored)")
        try await page.click("#person-opted-out")
        try await page.click("#save-availability")
        try await page.waitFor(Self.query("#badge-opted-out"), what: "opted out")
        #expect(try await scenario.call("GET", "/api/v1/people/\(PanelScenario.segment(worker))").json["optedOut"] as? Bool == true)
        try await PanelScenario.checkAccessibility(page, "own person page", axe: axe)

        // A member replays two weight sets but has no button to apply them.
        let member = try await scenario.token(subject: "mo", role: "member", project: "ZK")
        try await page.navigate("about:blank")
        try await page.navigate(scenario.base + "#token=" + member)
        try await page.waitFor("document.querySelectorAll('#ticket-table tbody tr').length > 0", what: "the member's ticket list")
        try await PanelScenario.navigate(page, to: "What-if")
        try await page.click("#run-whatif")
        try await page.waitFor(Self.query("#whatif-table"), what: "the member's replay", timeout: 180)
        #expect(try await page.evaluate(Self.query("#apply-set-0") + " === null") as? Bool == true)
        #expect(try await page.int("document.querySelectorAll('#whatif-chart rect.bar').length") == 10)
        try await PanelScenario.checkAccessibility(page, "what-if (member)", axe: axe)

        #expect(page.problems().isEmpty, "\(page.problems())")
        await browser.close()
        #expect(await scenario.system.stop() == 0)
    }
}
