import Contracts
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Harness
import Testing
import TestSupport

/// The person view of the web panel (issue 19, item 2) in a real headless Chromium against the demo system: reached from
/// a candidate's name, it shows the skill profile learned from the person's resolved tickets; the person declares a
/// skill there and sees it listed (and stored); someone else without an admin role sees no form.
@Suite(.serialized) struct PanelPersonBrowserTests {
    @Test func aPersonSeesTheirProfileAndDeclaresASkill() async throws {
        let browser = try Chromium()
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-data", PanelBrowserTests.demo])
        defer { system.directory.remove() }
        let base = try #require(system.url)
        let helper = PanelBrowserTests()
        let admin = try await helper.token(system, subject: "ada", role: "admin")
        // Someone who resolved tickets, so the skills service learned a profile for them.
        let resolved = try await helper.api(base, "GET", "/api/v1/tickets?project=ZK&status=done&limit=50", token: admin)
        let person = try #require((resolved["items"] as? [[String: Any]])?.compactMap { $0["assignee"] as? String }.first, "\(resolved)")
        let learned = try await helper.api(base, "GET", "/api/v1/people/\(OpenAPIClient.segment(person))/skills", token: admin)
        let learnedItems = try #require(learned["items"] as? [[String: Any]])
        #expect(learnedItems.contains { ($0["evidence"] as? Int ?? 0) > 0 }, "\(learned)")
        let selfToken = try await helper.token(system, subject: person, role: "viewer", project: "ZK")
        let page = try await browser.newPage()

        // From a candidate's name on a ticket to their person view.
        try await page.navigate(base + "#token=" + selfToken)
        try await page.waitFor("document.querySelectorAll('#ticket-table tbody tr').length > 0", what: "the ticket list")
        try await page.navigate(base + "#/ticket/ZK-1200")
        try await page.waitFor("document.querySelectorAll('#candidates li.candidate .candidate-name a.person-link').length > 0", what: "linked candidates")
        let candidate = try #require(try await page.string("document.querySelector('#candidates li.candidate').dataset.person"))
        try await page.click("#candidates li.candidate .candidate-name a.person-link")
        try await page.waitFor("document.querySelector('#person-title')", what: "the candidate's person view")
        #expect(try await page.string("decodeURIComponent(location.hash)") == "#/person/\(candidate)")

        // Their own view: the learned profile, one row per skill with the tickets that showed it.
        try await page.navigate(base + "#/person/" + OpenAPIClient.segment(person))
        try await page.waitFor("document.querySelectorAll('#profile-table tbody tr').length > 0", what: "the profile table")
        #expect(try await page.int("document.querySelectorAll('#profile-table tbody tr').length") == learnedItems.count)
        #expect(try await page.int("[...document.querySelectorAll('#profile-table td.evidence')].filter(t => Number(t.textContent) > 0).length") ?? 0 > 0)
        #expect(try await page.int("document.querySelectorAll('#declared-form').length") == 1, "a person edits their own declared skills")

        // Declare kubernetes at level 5: saved through the API, listed in the table.
        try await page.type("#declare-skill", "kubernetes")
        try await page.evaluate("document.querySelector('#declare-level').value = '5'")
        try await page.click("#add-declared")
        try await page.waitFor("document.querySelector('#declared-list li[data-skill=kubernetes]')", what: "the new declared skill in the form")
        try await page.click("#save-declared")
        try await page.waitFor("document.querySelector('#profile-table tr[data-skill=kubernetes] td.declared')?.textContent === '5'",
                               what: "kubernetes declared 5 in the profile")
        #expect(try await page.string("document.querySelector('#status').textContent")?.contains("saved") == true)
        if let directory = ProcessInfo.processInfo.environment["SMART_TICKET_PERSON_SCREENSHOT_DIR"] {
            try await page.screenshot(to: directory + "/person.png")
        }
        let stored = try await helper.api(base, "GET", "/api/v1/people/\(OpenAPIClient.segment(person))/skills", token: admin)
        let kubernetes = (stored["items"] as? [[String: Any]])?.first { $0["skill"] as? String == "kubernetes" }
        #expect(kubernetes?["declared"] as? Int == 5 && kubernetes?["level"] as? Int == 5, "\(stored)")

        // Removing it again.
        try await page.click("#declared-list li[data-skill=kubernetes] button")
        try await page.click("#save-declared")
        try await page.waitFor("!document.querySelector('#profile-table tr[data-skill=kubernetes] td.declared') || document.querySelector('#profile-table tr[data-skill=kubernetes] td.declared').textContent === '–'",
                               what: "kubernetes no longer declared")

        // Another viewer sees the profile but no form.
        let other = try await helper.token(system, subject: "vera", role: "viewer", project: "ZK")
        try await page.navigate("about:blank")
        try await page.navigate(base + "#token=" + other)
        try await page.waitFor("document.querySelectorAll('#ticket-table tbody tr').length > 0", what: "vera's ticket list")
        try await page.navigate(base + "#/person/" + OpenAPIClient.segment(person))
        try await page.waitFor("document.querySelectorAll('#profile-table tbody tr').length > 0", what: "the profile, read only")
        #expect(try await page.int("document.querySelectorAll('#declared-form').length") == 0)
        #expect(try await page.int("document.querySelectorAll('#privacy-card').length") == 0, "only the person or a `*` admin sees their data rights")

        // The person downloads their own data; erasing is not offered to them.
        try await page.navigate("about:blank")
        try await page.navigate(base + "#token=" + selfToken)
        try await page.waitFor("document.querySelectorAll('#ticket-table tbody tr').length > 0", what: "the ticket list again")
        try await page.navigate(base + "#/person/" + OpenAPIClient.segment(person))
        try await page.waitFor("document.querySelector('#export-person')", what: "the download button")
        #expect(try await page.int("document.querySelectorAll('#erase-form').length") == 0)
        try await page.click("#export-person")
        try await page.waitFor("document.querySelector('#status').textContent.includes('downloaded')", what: "the export fetched")

        // An admin of every project erases them, after typing their id.
        try await page.navigate("about:blank")
        try await page.navigate(base + "#token=" + admin)
        try await page.waitFor("document.querySelectorAll('#ticket-table tbody tr').length > 0", what: "the admin's ticket list")
        try await page.navigate(base + "#/person/" + OpenAPIClient.segment(person))
        try await page.waitFor("document.querySelector('#erase-person')", what: "the erase form")
        #expect(try await page.evaluate("document.querySelector('#erase-person').disabled") as? Bool == true)
        try await page.type("#erase-confirm", person)
        #expect(try await page.evaluate("document.querySelector('#erase-person').disabled") as? Bool == false)
        try await page.click("#erase-person")
        try await page.waitFor("document.querySelector('#status').textContent.includes('erased')", what: "the erasure announced")
        #expect(try await page.string("location.hash") == "#/people")
        let pseudonym = try #require(try await page.string("document.querySelector('#status').textContent.match(/erased-[0-9a-f]{16}/)[0]"))
        let gone = try await helper.api(base, "GET", "/api/v1/people/\(OpenAPIClient.segment(person))", token: admin)
        #expect((gone["error"] as? [String: Any])?["code"] as? String == "NOT_FOUND", "\(gone)")
        let theirs = try await helper.api(base, "GET", "/api/v1/tickets?project=ZK&assignee=\(pseudonym)&limit=5", token: admin)
        #expect(!((theirs["items"] as? [[String: Any]]) ?? []).isEmpty, "their tickets stay, under \(pseudonym)")

        #expect(page.problems().isEmpty, "\(page.problems())")
        await browser.close()
        #expect(await system.stop() == 0)
    }
}
