import Foundation
import Harness
import Testing
import TestSupport

/// The views of issue 22 in a real headless Chromium against the demo system, as an admin: navigate by the names,
/// change a person's time off and capacity (and find it in the API), plan, apply and undo a rebalance, compare weight
/// sets and apply one, read Quality and follow its suggestion, manage roles, custom skills and the default assignee, and
/// read it all back in Audit.
/// Every view is checked for labels and names (and with axe-core when installed); no console errors. With
/// SMART_TICKET_SCREENSHOT_DIR set, every view is saved there at 1400 and 390 pixels wide.
/// (Long: one scenario on one running system, since each start imports the demo history.)
@Suite(.serialized) struct PanelViewsBrowserTests {
    static let shots = ProcessInfo.processInfo.environment["SMART_TICKET_SCREENSHOT_DIR"]

    /// `value` as the panel writes it with one decimal at most.
    static func figure(_ value: Any?) -> String {
        let tenth = (((value as? Double) ?? Double(value as? Int ?? 0)) * 10).rounded() / 10
        return tenth == tenth.rounded() ? String(Int(tenth)) : String(tenth)
    }

    static func shoot(_ page: ChromiumPage, _ name: String) async throws {
        if let shots { try await page.screenshot(to: "\(shots)/\(name).png") }
    }

    /// `document.querySelector(selector)` in JavaScript.
    static func query(_ selector: String) -> String { "document.querySelector(\(ChromiumPage.quote(selector)))" }

    @Test func anAdminWorksThroughEveryView() async throws {
        let browser = try Chromium(width: 1400, height: 1000)
        let scenario = try await PanelScenario.start()
        defer { scenario.system.directory.remove() }
        let axe = ChromiumPage.axeSource()
        let before = try await scenario.call("GET", "/api/v1/projects/ZK/quality?weeks=12").json
        // Thirty assignments: all but two to the first suggestion.
        let assigned = try await scenario.assignOpenWork(count: 30, overridden: [7, 19])
        let page = try await browser.newPage()
        try await page.setViewport(width: 1400, height: 1000)
        try await page.navigate(scenario.base + "#token=" + scenario.admin)
        try await page.waitFor("document.querySelectorAll('#ticket-table tbody tr').length > 0", what: "the ticket list")
        let names = try #require(try await page.evaluate("[...document.querySelectorAll('#nav a')].map(a => a.textContent)") as? [String])
        #expect(names == PanelScenario.navigation, "\(names)")
        try await PanelScenario.checkAccessibility(page, "tickets", axe: axe)
        try await Self.shoot(page, "tickets-1400")

        // People: the load shown is the API's (the figure the Team view and rankings use).
        try await PanelScenario.navigate(page, to: "People")
        try await page.waitFor("document.querySelectorAll('#people-table tbody tr').length > 0", what: "people with work")
        let metrics = try #require(try await scenario.call("GET", "/api/v1/metrics?project=ZK&weeks=12").json["people"] as? [[String: Any]])
        #expect(try await page.int("document.querySelectorAll('#people-table tbody tr').length") == metrics.count)
        let busiest = try #require(metrics.max { ($0["openLoad"] as? Double ?? 0) < ($1["openLoad"] as? Double ?? 0) })
        let busiestID = try #require(busiest["id"] as? String)
        let row = "#people-table tr[data-person=\(ChromiumPage.quote(busiestID))]"
        let shownLoad = try await page.string(Self.query(row + " .figure") + ".textContent")
        #expect(shownLoad?.contains("\(Self.figure(busiest["openLoad"])) / \(Self.figure(busiest["capacity"]))") == true, "\(shownLoad ?? "")")
        try await PanelScenario.checkAccessibility(page, "people", axe: axe)
        try await Self.shoot(page, "people-1400")

        // The busiest person's page: time off added with the keyboard, in the API; another added and removed; capacity.
        try await page.click(row + " a.person-link")
        try await page.waitFor("document.querySelector('#person-title') && document.querySelector('#time-off-form')", what: "the person's page")
        let today = try #require(try await page.string(Self.query("#add-time-off-start") + ".value"))
        let inTwoDays = try #require(try await page.string("(() => { const d = new Date(\(ChromiumPage.quote(today + "T12:00:00Z"))); d.setUTCDate(d.getUTCDate() + 2); return d.toISOString().slice(0, 10); })()"))
        try await page.evaluate(Self.query("#add-time-off-end") + ".value = \(ChromiumPage.quote(inTwoDays))")
        try await page.type("#add-time-off-reason", "conference")
        try await page.press("Tab")
        #expect(try await page.string("document.activeElement.id") == "add-time-off", "Tab goes from the reason to the Add button")
        try await page.press("Enter")
        try await page.waitFor(Self.query("#time-off-list li[data-start='\(today)'][data-end='\(inTwoDays)']"), what: "the new time off listed")
        let personPath = "/api/v1/people/\(PanelScenario.segment(busiestID))"
        var person = try await scenario.call("GET", personPath).json
        #expect((person["timeOff"] as? [[String: Any]])?.contains { $0["start"] as? String == today && $0["end"] as? String == inTwoDays
            && $0["reason"] as? String == "conference" } == true, "\(person)")
        #expect(try await page.evaluate(Self.query("#person-badges") + ".textContent.includes('away until')") as? Bool == true)
        let later = "2099-06-01"
        try await page.evaluate(Self.query("#add-time-off-start") + ".value = '\(later)'; " + Self.query("#add-time-off-end") + ".value = '\(later)'")
        try await page.click("#add-time-off")
        try await page.waitFor(Self.query("#time-off-list li[data-start='\(later)']"), what: "the second time off")
        try await page.click("#time-off-list li[data-start='\(later)'] button")
        try await page.waitFor("!" + Self.query("#time-off-list li[data-start='\(later)']"), what: "the second time off removed")
        person = try await scenario.call("GET", personPath).json
        #expect((person["timeOff"] as? [[String: Any]])?.map { $0["start"] as? String } == [today], "\(person)")
        try await page.type("#person-capacity", "4")
        try await page.click("#save-availability")
        try await page.waitFor(Self.query("#status") + ".textContent.includes('saved')", what: "the saved availability")
        #expect(try await scenario.call("GET", personPath).json["weeklyCapacity"] as? Double == 4)
        try await page.waitFor(Self.query("#person-load") + "?.textContent.includes(' of 4 points')", what: "the load against the new capacity")
        try await PanelScenario.checkAccessibility(page, "person", axe: axe)
        try await Self.shoot(page, "person-1400")

        // Rebalance: the away person's work moves; each move has its reasons; apply, then undo, as the API shows.
        try await PanelScenario.navigate(page, to: "Rebalance")
        try await page.click("#make-plan")
        try await page.waitFor("document.querySelectorAll('#moves tbody tr').length > 0", what: "the proposed moves", timeout: 60)
        let planID = try #require(try await page.string(Self.query("#plan") + ".dataset.plan"))
        let plan = try await scenario.call("GET", "/api/v1/projects/ZK/rebalance/\(planID)").json
        let moves = try #require(plan["moves"] as? [[String: Any]])
        #expect(moves.contains { ($0["from"] as? [String: Any])?["id"] as? String == busiestID }, "the away person's work moves: \(moves)")
        #expect(try await page.int("document.querySelectorAll('#moves tbody tr').length") == moves.count)
        #expect(try await page.int("[...document.querySelectorAll('#moves tbody tr')].filter(r => r.querySelectorAll('.reasons li').length > 0).length") == moves.count)
        try await PanelScenario.checkAccessibility(page, "rebalance", axe: axe)
        try await Self.shoot(page, "rebalance-1400")
        let first = try #require(moves.first)
        let moved = try #require(first["ticket"] as? String)
        try await page.click("#apply-plan")
        try await page.waitFor(Self.query("#plan-status") + "?.textContent === 'Applied'", what: "the applied plan")
        #expect(try await scenario.call("GET", "/api/v1/tickets/\(moved)").json["assignee"] as? String == (first["to"] as? [String: Any])?["id"] as? String)
        #expect(try await page.evaluate(Self.query("#refused") + " === null") as? Bool == true, "no Jira here, nothing refused")
        try await page.click("#undo-plan")
        try await page.waitFor(Self.query("#plan-status") + "?.textContent === 'Undone' && " + Self.query("#undo-report"), what: "the undone plan")
        #expect(try await scenario.call("GET", "/api/v1/tickets/\(moved)").json["assignee"] as? String == (first["from"] as? [String: Any])?["id"] as? String)

        // What-if: three weight sets replayed side by side, the figures the API gives; an admin applies the third.
        try await PanelScenario.navigate(page, to: "What-if")
        #expect(try await page.int("document.querySelectorAll('#weight-sets fieldset').length") == 2)
        try await page.click("#add-set")
        try await page.waitFor("document.querySelectorAll('#weight-sets fieldset').length === 3", what: "a third set")
        try await page.type("#set-2-similarWork", "0")
        try await page.type("#set-2-recentActivity", "1.5")
        try await page.click("#run-whatif")
        try await page.waitFor(Self.query("#whatif-table"), what: "the replay's figures", timeout: 180)
        #expect(try await page.int("document.querySelectorAll('#whatif-table thead th').length") == 4)
        #expect(try await page.int("document.querySelectorAll('#whatif-chart rect.bar').length") == 15)
        let sets = try #require(try await page.evaluate("""
            [...document.querySelectorAll('#weight-sets fieldset')].map((set) =>
              Object.fromEntries([...set.querySelectorAll('input[type=number]')].map((i) => [i.id.split('-')[2], Number(i.value)])))
            """) as? [[String: Double]])
        let replayed = try #require(try await scenario.call("POST", "/api/v1/whatif", body: ["project": "ZK", "weights": sets]).json["results"] as? [[String: Any]])
        let shownTop1 = try #require(try await page.evaluate("[...document.querySelectorAll('#whatif-table tr[data-metric=top1] td')].map(td => parseFloat(td.textContent))") as? [Double])
        #expect(zip(shownTop1, replayed).allSatisfy { abs($0 - ($1["top1"] as? Double ?? -1) * 100) < 0.051 }, "\(shownTop1) vs \(replayed)")
        try await PanelScenario.checkAccessibility(page, "what-if", axe: axe)
        try await Self.shoot(page, "whatif-1400")
        try await page.click("#apply-set-2")
        try await page.waitFor(Self.query("#status") + ".textContent.includes('saved to the settings')", what: "the applied weights")
        let weights = try #require(try await scenario.call("GET", "/api/v1/projects/ZK/settings").json["weights"] as? [String: Double])
        #expect(weights["similarWork"] == 0 && weights["recentActivity"] == 1.5, "\(weights)")

        // Quality: the counts of the API, the suggestion its rule gives, and the replay beside them.
        try await PanelScenario.navigate(page, to: "Quality")
        try await page.waitFor(Self.query("#advice-text"), what: "the suggestion")
        let report = try await scenario.call("GET", "/api/v1/projects/ZK/quality?weeks=12").json
        let count = { (key: String) in report[key] as? Int ?? -1 }
        #expect(count("assigned") - (before["assigned"] as? Int ?? 0) == 30)
        #expect(count("overrides") - (before["overrides"] as? Int ?? 0) == 2)
        let verdict = Self.verdict(report, autoAssign: false)
        #expect(try await page.string(Self.query("#advice") + ".dataset.verdict") == verdict)
        if before["assigned"] as? Int == 0 {
            #expect(verdict == "on", "28 of 30 to the first suggestion, 2 overrides: \(report)")
            #expect(try await page.string(Self.query("#advice-text") + ".textContent")?.contains("28 of 30 assignments (93%)") == true)
        }
        #expect(try await page.string(Self.query("#advice-rule") + ".textContent")?.contains("at least 70%") == true)
        try await page.waitFor(Self.query("#replay-top1"), what: "the replay's figure", timeout: 180)
        #expect(try await page.int("document.querySelectorAll('#quality-chart .reference').length") == 2, "replay lines on the chart")
        try await PanelScenario.checkAccessibility(page, "quality", axe: axe)
        try await Self.shoot(page, "quality-1400")
        if verdict == "on" {
            try await page.click("#apply-advice")
            try await page.waitFor(Self.query("#advice-title") + "?.textContent === 'Auto-assign is on'", what: "auto-assign on")
            #expect(try await scenario.call("GET", "/api/v1/projects/ZK/settings").json["autoAssign"] as? Bool == true)
        }

        // Settings: a role granted, changed and revoked; a custom skill; the default assignee.
        try await PanelScenario.navigate(page, to: "Settings")
        try await page.type("#grant-subject", "zoe")
        try await page.click("#grant-role-button")
        try await page.waitFor(Self.query("#roles-table tr[data-subject=zoe]"), what: "zoe's role")
        var roles = try #require(try await scenario.call("GET", "/api/v1/projects/ZK/roles").json["items"] as? [[String: Any]])
        #expect(roles.contains { $0["principal"] as? String == "zoe" && $0["role"] as? String == "member" }, "\(roles)")
        try await page.evaluate("(() => { const s = \(Self.query("#roles-table tr[data-subject=zoe] select")); s.value = 'viewer'; s.dispatchEvent(new Event('change')); })()")
        try await page.waitFor(Self.query("#status") + ".textContent.includes('zoe is now viewer')", what: "zoe a viewer")
        roles = try #require(try await scenario.call("GET", "/api/v1/projects/ZK/roles").json["items"] as? [[String: Any]])
        #expect(roles.contains { $0["principal"] as? String == "zoe" && $0["role"] as? String == "viewer" }, "\(roles)")
        try await page.click("#roles-table tr[data-subject=zoe] button")
        try await page.waitFor("!" + Self.query("#roles-table tr[data-subject=zoe]"), what: "zoe's role revoked")
        roles = try #require(try await scenario.call("GET", "/api/v1/projects/ZK/roles").json["items"] as? [[String: Any]])
        #expect(!roles.contains { $0["principal"] as? String == "zoe" }, "\(roles)")
        try await page.click("#add-custom-skill")
        try await page.type("#custom-0-id", "ledger")
        try await page.type("#custom-0-name", "The Ledger")
        try await page.type("#custom-0-aliases", "general ledger, ledger entry")
        try await page.click("#save-custom-skills")
        try await page.waitFor(Self.query("#status") + ".textContent.includes('custom skills saved')", what: "the saved custom skills")
        let custom = try #require(try await scenario.call("GET", "/api/v1/skills/custom").json["items"] as? [[String: Any]])
        #expect(custom.contains { $0["id"] as? String == "ledger" && ($0["aliases"] as? [String])?.contains("general ledger") == true }, "\(custom)")
        let fallback = try #require(assigned.first?.assignee)
        try await page.type("#default-assignee", fallback)
        try await page.click("#save-settings")
        try await page.waitFor(Self.query("#status") + ".textContent.includes('Settings of ZK saved')", what: "the saved settings")
        #expect(try await scenario.call("GET", "/api/v1/projects/ZK/settings").json["defaultAssignee"] as? String == fallback)
        try await PanelScenario.checkAccessibility(page, "settings", axe: axe)
        try await Self.shoot(page, "settings-1400")

        // Audit: the project's decisions and admin changes as the API lists them, newest first; filters; "More"; the
        // tenant-wide changes (custom skills, people) with before → after for an admin of every project.
        try await PanelScenario.navigate(page, to: "Audit")
        try await page.waitFor(Self.query("#audit-list li"), what: "the audit list")
        let entries = "[...document.querySelectorAll('#audit-list li.audit-entry')].map(li => li.dataset.kind + li.dataset.id)"
        let firstPage = try await scenario.call("GET", "/api/v1/audit?project=ZK&limit=25").json
        let apiEntries = { (json: [String: Any]) in
            (json["items"] as? [[String: Any]] ?? []).map { "\($0["kind"] as? String ?? "")\($0["id"] as? Int ?? 0)" }
        }
        #expect(try await page.evaluate(entries) as? [String] == apiEntries(firstPage))
        let newest = try #require(try await page.string(Self.query("#audit-list li.audit-entry") + ".textContent"))
        #expect(newest.contains("defaultAssignee") && newest.contains("by ada"), "the default assignee just saved comes first: \(newest)")
        let zoe = try #require(try await page.evaluate("[...document.querySelectorAll('#audit-list li[data-kind=role]')].map(li => li.textContent)")
            as? [String])
        #expect(zoe.count == 3 && zoe[0].contains("revoked from") && zoe[1].contains("member") && zoe[1].contains("viewer")
            && zoe[2].contains("granted to"), "\(zoe)")
        #expect(try await page.evaluate("getComputedStyle(\(Self.query("#audit-more"))).display !== 'none'") as? Bool == true, "more than a page")
        try await page.click("#audit-more")
        try await page.waitFor("document.querySelectorAll('#audit-list li.audit-entry').length > 25", what: "the second page")
        let secondPage = try await scenario.call("GET", "/api/v1/audit?project=ZK&limit=25&cursor=\(PanelScenario.segment(firstPage["next"] as? String ?? ""))").json
        #expect(try await page.evaluate(entries) as? [String] == apiEntries(firstPage) + apiEntries(secondPage))
        #expect(try await page.string("document.activeElement.closest('li')?.dataset.id") != nil, "the focus moves to the first new entry")
        try await PanelScenario.checkAccessibility(page, "audit", axe: axe)
        // Decisions of one mode, chosen with the keyboard: Enter in the person field applies the filters.
        try await page.evaluate(Self.query("#audit-kind") + ".value = 'decision'; " + Self.query("#audit-mode") + ".value = 'override'")
        try await page.type("#audit-person", "")
        try await page.press("Enter")
        try await page.waitFor("location.hash.includes('mode=override') && " + Self.query("#audit-list li")
            + " && [...document.querySelectorAll('#audit-list li.audit-entry')].every(li => li.querySelector('.pill.mode-override'))",
            what: "the overrides")
        let overrides = try #require(try await scenario.call("GET", "/api/v1/audit?project=ZK&kind=decision&mode=override&limit=25").json["items"]
            as? [[String: Any]])
        #expect(overrides.count >= 2 && overrides.allSatisfy { $0["mode"] as? String == "override" })
        #expect(try await page.int("document.querySelectorAll('#audit-list li.audit-entry').length") == overrides.count)
        #expect(try await page.int("document.querySelectorAll('#audit-list .pill.mode-override').length") == overrides.count)
        // Every project and the tenant: the busiest person's edits (time off, capacity) with before → after.
        try await page.navigate(scenario.base + "#/audit?scope=all&kind=person&person=\(PanelScenario.segment(busiestID))")
        try await page.waitFor(Self.query("#audit-list li[data-kind=person]"), what: "the person's edits")
        let edits = try #require(try await page.evaluate("[...document.querySelectorAll('#audit-list li.audit-entry')].map(li => li.textContent)") as? [String])
        let capacity = try await page.evaluate("""
            [...document.querySelectorAll('#audit-list li.audit-entry')[0].querySelectorAll('.audit-diff li')]
              .map(row => row.querySelector('.diff-field').textContent + row.querySelector('.diff-after').textContent)
            """) as? [String]
        #expect(capacity?.contains("weeklyCapacity:4") == true, "\(capacity ?? [])")
        #expect(edits.count == 4 && edits.last?.contains("conference") == true, "added, added, removed time off, then capacity: \(edits)")
        try await page.navigate(scenario.base + "#/audit?scope=all&kind=customSkills")
        try await page.waitFor(Self.query("#audit-list li[data-kind=customSkills] .diff-after"), what: "the custom skills change")
        #expect(try await page.string(Self.query("#audit-list .diff-after") + ".textContent")?.contains("The Ledger") == true)
        try await page.navigate(scenario.base + "#/audit?since=2099-01-01")
        try await page.waitFor(Self.query("#no-audit"), what: "the empty state")
        try await PanelScenario.checkAccessibility(page, "audit (empty)", axe: axe)
        try await page.navigate(scenario.base + "#/audit?scope=all")
        try await page.waitFor(Self.query("#audit-list li[data-kind=customSkills]"), what: "every project's audit")
        try await PanelScenario.checkAccessibility(page, "audit (every project)", axe: axe)
        try await Self.shoot(page, "audit-1400")

        try await PanelScenario.navigate(page, to: "Team")
        try await page.waitFor("document.querySelectorAll('#load-chart g.load-row').length > 0", what: "the load chart")
        try await PanelScenario.checkAccessibility(page, "team", axe: axe)
        try await Self.shoot(page, "team-1400")

        // At phone width every view fits in one column.
        try await page.setViewport(width: 390, height: 844, mobile: true)
        for (route, name) in [("tickets", "tickets"), ("team", "team"), ("people", "people"), ("person/" + PanelScenario.segment(busiestID), "person"),
                              ("rebalance", "rebalance"), ("whatif", "whatif"), ("quality", "quality"), ("audit?scope=all", "audit"),
                              ("settings", "settings")] {
            try await page.navigate(scenario.base + "#/" + route)
            try await page.waitFor("document.querySelector('main h1') && !document.querySelector('main > .loading')", what: "\(name) at phone width")
            if name == "quality" { try await page.waitFor(Self.query("#replay-figure"), what: "the replay at phone width", timeout: 180) }
            #expect(try await page.int("document.documentElement.scrollWidth") ?? 9999 <= 390, "\(name) is wider than the phone")
            try await Self.shoot(page, "\(name)-390")
        }

        #expect(page.problems().isEmpty, "\(page.problems())")
        await browser.close()
        #expect(await scenario.system.stop() == 0)
    }

    /// The auto-assign rule of the Quality view (Panel/view-quality.js).
    static func verdict(_ report: [String: Any], autoAssign: Bool) -> String {
        let count = { (key: String) in Double(report[key] as? Int ?? 0) }
        if !autoAssign {
            guard count("assigned") >= 30 else { return "wait" }
            return count("acceptedTop1") / count("assigned") >= 0.7 && count("overrides") / count("assigned") <= 0.1 ? "on" : "keep-off"
        }
        guard count("autoAssigned") >= 10 else { return "wait" }
        return count("autoAssignedKept") / count("autoAssigned") < 0.8 ? "off" : "keep-on"
    }
}
