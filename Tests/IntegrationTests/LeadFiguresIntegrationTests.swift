import Foundation
import Harness
import Model
import Testing
import TestSupport

/// What a lead reads on a ticket and in the team's figures, end to end over HTTP (every answer checked against the
/// OpenAPI schemas): the recommendation says what its confidence is (the lead of the first person over the next) beside
/// the project's threshold, a score is on a 0-1 scale, a person's load is one figure in the recommendation, Team and a
/// rebalance plan, and every answer names a person `{"id", "name"}`. The panel's ticket page and What-if say the same.
@Suite(.serialized) struct LeadFiguresIntegrationTests {
    /// Project L: ana, bo, cy and dee each resolved twelve tickets of their own component in the last 100 days. Open
    /// work: ana 7.5 (5 points, Highest) + 3.75 (3 points, High) + 1 (2 points untouched for 45 days: halved) = 12.25 of
    /// 10, bo 0.8 (1 point, Low) + 1 (unestimated) = 1.8 of 8. L-200, about the parser, is open and unassigned.
    static func history(now: Date = Date()) -> String {
        let iso = ISO8601DateFormatter()
        let day = { (daysAgo: Double) in iso.string(from: now.addingTimeInterval(-daysAgo * 86_400)) }
        let people = [("ana", "parser"), ("bo", "ui"), ("cy", "storage"), ("dee", "network")]
        var lines: [String] = []
        for index in 0..<48 {
            let (person, component) = people[index % 4]
            let created = 100 - Double(index) * 2
            lines.append(#"{"key": "L-\#(index + 1)", "project": "L", "title": "\#(component) fails on input \#(index)", "description": "the \#(component) code breaks", "components": ["\#(component)"], "assignee": "\#(person)", "status": "done", "created": "\#(day(created))", "resolved": "\#(day(created - 1))"}"#)
        }
        let open: [(String, String, String, Double?, String?, Double)] = [
            ("L-101", "ana", "parser", 5, "Highest", 2), ("L-102", "ana", "parser", 3, "High", 2), ("L-103", "ana", "parser", 2, nil, 45),
            ("L-104", "bo", "ui", 1, "Low", 2), ("L-105", "bo", "ui", nil, nil, 2),
        ]
        for (key, person, component, points, priority, age) in open {
            let extra = (points.map { #", "storyPoints": \#($0)"# } ?? "") + (priority.map { #", "priority": "\#($0)""# } ?? "")
            lines.append(#"{"key": "\#(key)", "project": "L", "title": "\#(component) work \#(key)", "components": ["\#(component)"], "assignee": "\#(person)", "status": "todo", "created": "\#(day(age))"\#(extra)}"#)
        }
        lines.append(#"{"key": "L-200", "project": "L", "title": "parser fails on nested input", "description": "the parser code breaks", "components": ["parser"], "status": "todo", "created": "\#(day(1))"}"#)
        return lines.joined(separator: "\n") + "\n"
    }

    /// A running system with project L imported (tenant acme), display names set, ana's capacity 10 and bo's 8.
    struct Setup {
        let system: RunningSystem
        let api: OpenAPIClient
        let admin: String

        static func start() async throws -> Setup {
            let system = try await RunningSystem()
            let file = system.directory.file("lead.jsonl")
            FileManager.default.createFile(atPath: file, contents: Data(LeadFiguresIntegrationTests.history().utf8))
            let imported = try await ProcessRunner.run(Executables.path("smart-ticket"),
                                                       ["import", "--run-dir", system.runDirectory.path, "--tenant", "acme", "--quiet", file])
            #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
            let api = try await OpenAPIClient.connect(system)
            let admin = try await OpenAPIClient.token(system, tenant: "acme", subject: "ada", role: "admin")
            for (id, name, capacity) in [("ana", "Ana Lima", 10.0), ("bo", "Bo Berg", 8), ("cy", "Cy Ode", 10), ("dee", "Dee Fox", 10)] {
                let patched = try await api.call("PATCH", "/api/v1/people/\(id)", token: admin, body: ["displayName": name, "weeklyCapacity": capacity])
                #expect(patched.status == 200, "\(patched.text)")
            }
            return Setup(system: system, api: api, admin: admin)
        }
    }

    static let names = ["ana": "Ana Lima", "bo": "Bo Berg", "cy": "Cy Ode", "dee": "Dee Fox"]

    /// `{"id", "name"}` of a known person.
    static func expectPerson(_ value: Any?, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let person = value as? [String: Any]
        let id = person?["id"] as? String ?? ""
        #expect(person.map { Set($0.keys) } == ["id", "name"] && person?["name"] as? String == names[id],
                "\(context): a person is {id, name}: \(String(describing: value))", sourceLocation: sourceLocation)
    }

    @Test func confidenceLoadAndPeopleReadTheSameEverywhere() async throws {
        let setup = try await Setup.start()
        defer { setup.system.directory.remove() }
        let (api, admin) = (setup.api, setup.admin)

        // The recommendation: the lead of the first over the next, beside the project's threshold, on a 0-1 score scale.
        let preview = try await api.call("GET", "/api/v1/tickets/L-200/recommendations", token: admin)
        #expect(preview.status == 200, "\(preview.text)")
        let ranking = preview.object
        let candidates = try #require(ranking["candidates"] as? [[String: Any]])
        #expect(candidates.count == 4)
        for candidate in candidates { Self.expectPerson(candidate["person"], "candidate") }
        let scores = candidates.compactMap { $0["score"] as? Double }
        #expect(scores.allSatisfy { (0...1).contains($0) } && scores == scores.sorted(by: >), "\(scores)")
        for candidate in candidates {
            let contributions = (candidate["factors"] as? [String: [String: Double]] ?? [:]).values.compactMap { $0["contribution"] }
            #expect(abs(contributions.reduce(0, +) - (candidate["score"] as? Double ?? -1)) < 0.001, "a score is the sum of the contributions")
        }
        let confidence = try #require(ranking["confidence"] as? Double)
        #expect(abs(confidence - (scores[0] - scores[1]) / scores[0]) < 0.0002, "confidence is the first's lead over the next")
        #expect(ranking["confidenceThreshold"] as? Double == 0.25)
        #expect(ranking["autoAssign"] as? Bool == false)
        let note = try #require(ranking["note"] as? String)
        #expect(note == "auto-assign is off: the ranking is only a suggestion", "\(note)")

        // One load per person: the Team figures, the ranking's workload factor and reason, and a rebalance plan's words.
        let metrics = try await api.call("GET", "/api/v1/metrics?project=L", token: admin)
        #expect(metrics.status == 200, "\(metrics.text)")
        let rows = Dictionary(uniqueKeysWithValues: (metrics.object["people"] as? [[String: Any]] ?? []).compactMap { row in
            (row["id"] as? String).map { ($0, row) }
        })
        let load = { (id: String) in (rows[id]?["openLoad"] as? Double ?? -1, rows[id]?["capacity"] as? Double ?? -1) }
        #expect(abs(load("ana").0 - 12.25) < 1e-9 && load("ana").1 == 10, "\(rows["ana"] ?? [:])")
        #expect(abs(load("bo").0 - 1.8) < 1e-9 && load("bo").1 == 8, "\(rows["bo"] ?? [:])")
        for (skill, person) in metrics.object["singlePersonSkills"] as? [String: Any] ?? [:] { Self.expectPerson(person, "singlePersonSkills.\(skill)") }
        #expect(((metrics.object["singlePersonSkills"] as? [String: Any])?["parser"] as? [String: Any])?["id"] as? String == "ana")
        for id in ["ana", "bo"] {
            let (open, capacity) = load(id)
            let candidate = try #require(candidates.first { ($0["person"] as? [String: Any])?["id"] as? String == id })
            let workload = (candidate["factors"] as? [String: [String: Double]])?["workload"]?["value"]
            #expect(workload == ((max(0, 1 - open / capacity)) * 10_000).rounded() / 10_000, "\(id): the workload factor is Team's load")
            let words = "\(Workload.figure(open)) of \(Workload.figure(capacity)) points of open work"
            #expect((candidate["reasons"] as? [String] ?? []).contains(words), "\(id): '\(words)' in \(candidate["reasons"] ?? [])")
        }
        #expect(Workload.figure(load("ana").0) == "12.3" && Workload.figure(load("bo").0) == "1.8")
        let plan = try await api.call("POST", "/api/v1/projects/L/rebalance", token: admin)
        #expect(plan.status == 201, "\(plan.text)")
        let moves = try #require(plan.object["moves"] as? [[String: Any]])
        #expect(moves.count == 1, "ana sheds her largest unstarted ticket: \(plan.text)")
        let move = try #require(moves.first)
        #expect(move["ticket"] as? String == "L-101")
        Self.expectPerson(move["from"], "move.from")
        Self.expectPerson(move["to"], "move.to")
        #expect((move["from"] as? [String: Any])?["id"] as? String == "ana")
        let reasons = move["reasons"] as? [String] ?? []
        #expect(reasons.first == "Ana Lima has \(Workload.figure(load("ana").0)) of 10 points of open work (over capacity)", "\(reasons)")
        let receiver = try #require((move["to"] as? [String: Any])?["id"] as? String)
        let after = load(receiver).0 == -1 ? 7.5 : load(receiver).0 + 7.5
        #expect(reasons.last?.hasSuffix("will have \(Workload.figure(after)) of \(Workload.figure(10)) points of open work") == true, "\(reasons)")

        // Decisions name people as the recommendation does: the list, the assignment's answer, the audit trail.
        let recorded = try await api.call("POST", "/api/v1/tickets/L-200/recommendations", token: admin)
        #expect(recorded.status == 200)
        let decisions = try await api.call("GET", "/api/v1/tickets/L-200/decisions", token: admin)
        let suggestion = try #require(decisions.items.first)
        Self.expectPerson(suggestion["chosen"], "decision.chosen")
        #expect((suggestion["candidates"] as? [[String: Any]])?.count == 4)
        for candidate in suggestion["candidates"] as? [[String: Any]] ?? [] { Self.expectPerson(candidate["person"], "decision candidate") }
        let assigned = try await api.call("POST", "/api/v1/tickets/L-200/assignment", token: admin, body: ["assignee": "dee"])
        #expect(assigned.status == 200, "\(assigned.text)")
        Self.expectPerson(assigned.object["chosen"], "assignment.chosen")
        #expect((assigned.object["chosen"] as? [String: Any])?["name"] as? String == "Dee Fox")
        #expect(assigned.object["previous"] == nil, "nobody had it")
        let project = try await api.call("GET", "/api/v1/projects/L/decisions", token: admin)
        #expect(project.items.count == 2)
        let audit = try await api.call("GET", "/api/v1/audit?project=L&kind=decision", token: admin)
        #expect(audit.status == 200, "\(audit.text)")
        for item in audit.items { Self.expectPerson(item["chosen"], "audit.chosen") }
        #expect(await setup.system.stop() == 0)
    }

    @Test func thePanelsTicketPageAndWhatIfSayWhatTheFiguresMean() async throws {
        let browser = try Chromium(width: 1200, height: 1000)
        let setup = try await Setup.start()
        defer { setup.system.directory.remove() }
        let base = try #require(setup.system.url)
        let ranking = try await setup.api.call("GET", "/api/v1/tickets/L-200/recommendations", token: setup.admin).object
        let candidates = try #require(ranking["candidates"] as? [[String: Any]])
        let page = try await browser.newPage()
        try await page.navigate(base + "#token=" + setup.admin)
        try await page.waitFor("document.querySelector('#ticket-table')", what: "the ticket list")

        // The ticket page: the lead, as such, beside the threshold; the score scale; the real count of people.
        try await page.navigate(base + "#/ticket/L-200")
        try await page.waitFor("document.querySelector('#ranking-lead')", what: "the ranking's figures")
        let lead = try #require(try await page.string("document.querySelector('#ranking-lead').textContent"))
        let percent = Int(((ranking["confidence"] as? Double ?? -1) * 100).rounded())
        let first = try #require(candidates.first?["person"] as? [String: Any])
        #expect(lead.hasPrefix("Lead over the next person: \(percent)%"), "\(lead)")
        #expect(lead.contains(first["name"] as? String ?? "?"), "\(lead)")
        #expect(try await page.string("document.querySelector('#ranking-threshold').textContent")
                == "Auto-assign needs a lead of 25% and is off in this project.")
        #expect(try await page.string("document.querySelector('#score-scale').textContent")?.hasPrefix("Scores run from 0 to 1: a person's score is the weighted mean") == true)
        #expect(try await page.string("document.querySelector('#ranking-count').textContent") == "4 people ranked, best first.")
        #expect(try await page.int("document.querySelectorAll('#candidates li.candidate').length") == 4)
        let text = try #require(try await page.string("document.querySelector('main').innerText"))
        #expect(!text.lowercased().contains("top 3"), "never 'the top 3': \(text)")
        #expect(text.contains("\(Workload.figure(12.25)) of 10 points of open work"), "the load as Team shows it")

        // What-if on this small history: the API's warning, and what the figures mean.
        try await page.navigate(base + "#/whatif?project=L")
        try await page.waitFor("document.querySelector('#run-whatif')", what: "the what-if form")
        try await page.click("#run-whatif")
        try await page.waitFor("document.querySelector('#whatif-table')", what: "the replay's figures", timeout: 120)
        let warning = try #require(try await page.string("document.querySelector('#whatif-warnings').textContent"))
        #expect(warning.contains("Too little history for these figures to mean much: 48 resolved tickets, 10 tested, 10 with their assignee in the candidate pool"), "\(warning)")
        #expect(warning.contains("Import more history (at least 250 resolved, assigned tickets"), "\(warning)")
        let legend = try #require(try await page.string("document.querySelector('#whatif-legend').textContent"))
        for term in ["Test tickets", "In pool", "Coverage", "Top-k", "MRR"] { #expect(legend.contains(term), "\(term) in \(legend)") }
        #expect(try await page.evaluate("[...document.querySelectorAll('#whatif-table tr[data-metric=inPool] td')].map(td => td.textContent)") as? [String]
                == ["10", "10"], "ten test tickets, all in pool")
        #expect(page.problems().isEmpty, "\(page.problems())")
        await browser.close()
        #expect(await setup.system.stop() == 0)
    }
}
