import Contracts
import Foundation
import Harness
import Testing
import TestSupport

/// Issue 19, day one: a team with no history, whose people declared their skills, gets tickets routed to
/// the person with the ticket's skill (detected by the skills service), the reasons naming it, and an
/// automatic assignment when the project allows and the match is clear.
@Suite(.serialized) struct DeclaredSkillsIntegrationTests {
    /// Who declared what (skill, level 1...5).
    static let team: [String: [(String, Int)]] = [
        "ana": [("kubernetes", 5), ("terraform", 3)],
        "ben": [("css", 4), ("react", 4)],
        "cleo": [("postgresql", 5), ("sql", 4)],
        "dev": [("java", 4), ("kafka", 3)],
        "eli": [("python", 5)],
    ]

    /// Ten one-line tickets and the person who declared their skill.
    static let tickets: [(title: String, expected: String)] = [
        ("Pods stuck in CrashLoopBackOff", "ana"),
        ("Helm chart fails on the new cluster", "ana"),
        ("Terraform plan wants to recreate the VPC", "ana"),
        ("CSS grid layout breaks on Safari", "ben"),
        ("React component rerenders on every keystroke", "ben"),
        ("Postgres query plan regressed after VACUUM", "cleo"),
        ("Slow SQL query on the orders table", "cleo"),
        ("Java NullPointerException in the billing service", "dev"),
        ("Kafka consumer lag keeps growing", "dev"),
        ("Python import error in the CLI", "eli"),
    ]

    /// A team with no history: one open ticket each in `project` (numbered from 1, then `extra` tickets), and each
    /// person's declared skills (skill, level).
    static func seedTeam(_ api: OpenAPIClient, _ token: String, project: String, declared: [(person: String, skills: [(String, Int)])],
                         extra: [(key: String, title: String, assignee: String?)] = []) async throws {
        let lines = declared.enumerated().map { index, member in
            InstancesIntegrationTests.line("\(project)-\(index + 1)", "Onboarding checklist", assignee: member.person, done: false, daysAgo: 0)
        } + extra.map { InstancesIntegrationTests.line($0.key, $0.title, assignee: $0.assignee, done: false, daysAgo: 0) }
        let imported = try await api.call("POST", "/api/v1/import", token: token, body: lines.joined(separator: "\n") + "\n")
        #expect(imported.object["created"] as? Int == lines.count, "\(imported.text)")
        for member in declared {
            let skills = member.skills.map { ["skill": $0.0, "level": $0.1] as [String: Any] }
            #expect(try await api.call("PATCH", "/api/v1/people/\(member.person)", token: token, body: ["declaredSkills": skills]).status == 200)
        }
    }

    @Test func declaredSkillsRouteTicketsFromDayOne() async throws {
        let system = try await RunningSystem()
        defer { system.directory.remove() }
        let api = try await OpenAPIClient.connect(system)
        let root = try await OpenAPIClient.token(system, tenant: "fresh", subject: "lead", role: "admin")
        // The team exists (one open ticket each, nothing resolved): no history to learn from.
        try await Self.seedTeam(api, root, project: "OPS", declared: Self.team.keys.sorted().map { ($0, Self.team[$0]!) },
                                extra: [("APP-1", "Set up the project", nil)])

        var right = 0
        for (index, ticket) in Self.tickets.enumerated() {
            let key = "APP-\(index + 10)"
            #expect(try await api.call("POST", "/api/v1/tickets", token: root, body: ["key": key, "project": "APP", "title": ticket.title]).status == 201)
            let ranking = try await api.call("GET", "/api/v1/tickets/\(key)/recommendations", token: root)
            let first = try #require((ranking.object["candidates"] as? [[String: Any]])?.first, "\(ranking.text)")
            let person = (first["person"] as? [String: Any])?["id"] as? String
            let reasons = first["reasons"] as? [String] ?? []
            if person == ticket.expected, reasons.contains(where: { $0.contains("(declared ") }) { right += 1 }
            print("day one: \(ticket.title) -> \(person ?? "-") \(reasons.first ?? "")")
        }
        #expect(right >= 9, "the person with the ticket's skill came first for \(right) of 10")

        // The reasons say which skill and how well: "kubernetes: expert (declared 5)".
        let pods = try await api.call("GET", "/api/v1/tickets/APP-10/recommendations", token: root)
        let reasons = try #require(((pods.object["candidates"] as? [[String: Any]])?.first)?["reasons"] as? [String])
        #expect(reasons.contains("kubernetes: expert (declared 5)"), "\(reasons)")
        // Why the others lost names the skill they lack.
        let runnerUp = try #require(((pods.object["candidates"] as? [[String: Any]])?.dropFirst().first)?["reasons"] as? [String])
        #expect(runnerUp.contains("has not declared kubernetes, which ana has (declared 5)"), "\(runnerUp)")

        // With auto-assign on, a clear match is assigned as the ticket arrives.
        let settings: [String: Any] = ["weights": ScoringFactor.defaultWeights, "autoAssign": true, "confidenceThreshold": 0.25,
                                       "staleDays": 30, "candidatePool": "recent"]
        #expect(try await api.call("PUT", "/api/v1/projects/APP/settings", token: root, body: settings).status == 200)
        let arrived = try await api.call("POST", "/api/v1/tickets", token: root, body: ["key": "APP-99", "project": "APP", "title": "Pods stuck in CrashLoopBackOff on the workers"])
        #expect(arrived.status == 201 && arrived.object["assignee"] as? String == "ana", "\(arrived.text)")
        #expect(await system.stop() == 0)
    }

    /// Item 5: with an OpenAI-compatible model configured, the skills it names for a vague ticket are the
    /// ones the ranking matches against what people declared.
    @Test func theModelsSkillsDecideWhoGetsAVagueTicket() async throws {
        let model = try FakeHTTPServer()
        defer { model.stop() }
        // The model reads "the billing thing keeps restarting" as a crash-looping workload.
        let content = #"{\"skills\":[{\"name\":\"kubernetes\",\"weight\":0.95}]}"#
        model.setFallback { _ in
            .init(status: 200, body: #"{"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"\#(content)","refusal":null},"finish_reason":"stop"}]}"#)
        }
        let system = try await RunningSystem(environment: [
            "SMART_TICKET_SKILLS_MODEL_BASE_URL": model.baseURL + "/v1", "TEST_MODEL_KEY": "sk-test-0123456789abcdefghij",
            "SMART_TICKET_SKILLS_MODEL_API_KEY_ENV": "TEST_MODEL_KEY",
        ])
        defer { system.directory.remove() }
        let api = try await OpenAPIClient.connect(system)
        let root = try await OpenAPIClient.token(system, tenant: "modelled", subject: "lead", role: "admin")
        // Without skills (or with the local detector's "billing") ana would come first: ties go by id.
        try await Self.seedTeam(api, root, project: "OPS", declared: [("ana", [("billing", 5)]), ("bo", [("kubernetes", 5)])])
        #expect(try await api.call("POST", "/api/v1/tickets", token: root,
                                   body: ["key": "OPS-10", "project": "OPS", "title": "the billing thing keeps restarting"]).status == 201)

        let ranking = try await api.call("GET", "/api/v1/tickets/OPS-10/recommendations", token: root)
        let skills = (ranking.object["skills"] as? [[String: Any]]) ?? []
        #expect(skills.contains { $0["name"] as? String == "kubernetes" && $0["source"] as? String == "model" }, "\(ranking.text)")
        let first = try #require((ranking.object["candidates"] as? [[String: Any]])?.first)
        #expect((first["person"] as? [String: Any])?["id"] as? String == "bo", "\(ranking.text)")
        #expect((first["reasons"] as? [String])?.contains("kubernetes: expert (declared 5)") == true)
        #expect(!model.requests.isEmpty, "the model was asked")
        #expect(await system.stop() == 0)
    }

    /// Rebalance ranks the work it moves with the ticket's skills too: the Kubernetes ticket of someone on leave goes to
    /// the person who declared Kubernetes, not to the first by id.
    @Test func rebalanceMovesWorkToThePersonWithItsSkill() async throws {
        let system = try await RunningSystem()
        defer { system.directory.remove() }
        let api = try await OpenAPIClient.connect(system)
        let root = try await OpenAPIClient.token(system, tenant: "moving", subject: "lead", role: "admin")
        // Ties go by id: without skills amy would take the ticket.
        try await Self.seedTeam(api, root, project: "OPS", declared: [("amy", [("css", 4)]), ("zed", [("kubernetes", 5)])],
                                extra: [("OPS-3", "Pods stuck in CrashLoopBackOff", "cleo")])
        let start = String(ISO8601.format(Date().addingTimeInterval(-86_400)).prefix(10))
        let end = String(ISO8601.format(Date().addingTimeInterval(30 * 86_400)).prefix(10))
        #expect(try await api.call("PATCH", "/api/v1/people/cleo", token: root,
                                   body: ["timeOff": [["start": start, "end": end, "reason": "leave"]], "declaredSkills": [["skill": "kubernetes", "level": 5]]]).status == 200)
        let plan = try await api.call("POST", "/api/v1/projects/OPS/rebalance", token: root)
        #expect(plan.status == 201, "\(plan.text)")
        let move = try #require((plan.object["moves"] as? [[String: Any]])?.first { $0["ticket"] as? String == "OPS-3" }, "\(plan.text)")
        #expect((move["from"] as? [String: Any])?["id"] as? String == "cleo" && (move["to"] as? [String: Any])?["id"] as? String == "zed", "\(plan.text)")
        #expect(await system.stop() == 0)
    }

    /// Item 4: required skills (project setting and ticket field) keep people below the level from being
    /// assigned automatically, show what they miss, and say when nobody meets them.
    @Test func requiredSkillsGateAutomaticAssignment() async throws {
        let system = try await RunningSystem()
        defer { system.directory.remove() }
        let api = try await OpenAPIClient.connect(system)
        let root = try await OpenAPIClient.token(system, tenant: "gated", subject: "lead", role: "admin")
        try await Self.seedTeam(api, root, project: "APP", declared: [("ana", [("kubernetes", 5)]), ("ben", [("css", 4)])])
        var settings: [String: Any] = ["weights": ScoringFactor.defaultWeights, "autoAssign": true, "confidenceThreshold": 0.25,
                                       "staleDays": 30, "candidatePool": "recent", "requiredSkills": [["skill": "kubernetes", "minLevel": 5]]]
        let stored = try await api.call("PUT", "/api/v1/projects/APP/settings", token: root, body: settings)
        #expect(stored.status == 200 && (stored.object["requiredSkills"] as? [[String: Any]])?.first?["minLevel"] as? Int == 5, "\(stored.text)")
        settings["requiredSkills"] = [["skill": "kubernetes", "minLevel": 9]]
        #expect(try await api.call("PUT", "/api/v1/projects/APP/settings", token: root, body: settings).status == 400)

        // Ben fits a CSS ticket clearly, but lacks the project's required kubernetes 5: only suggested.
        let css = try await api.call("POST", "/api/v1/tickets", token: root, body: ["key": "APP-10", "project": "APP", "title": "CSS grid layout breaks on Safari"])
        #expect(css.status == 201 && css.object["assignee"] == nil, "\(css.text)")
        let suggestion = try await api.call("GET", "/api/v1/tickets/APP-10/recommendations", token: root)
        let candidates = try #require(suggestion.object["candidates"] as? [[String: Any]])
        #expect((candidates.first?["person"] as? [String: Any])?["id"] as? String == "ben")
        #expect((candidates.first?["reasons"] as? [String])?.contains("missing required kubernetes 5 (not declared)") == true, "\(candidates)")
        #expect(suggestion.object["action"] as? String == "suggest")
        #expect((suggestion.object["note"] as? String)?.contains("lacks a required skill") == true, "\(suggestion.text)")

        // Ana meets it: her ticket is assigned as it arrives.
        let pods = try await api.call("POST", "/api/v1/tickets", token: root, body: ["key": "APP-11", "project": "APP", "title": "Pods stuck in CrashLoopBackOff"])
        #expect(pods.object["assignee"] as? String == "ana", "\(pods.text)")

        // A ticket's own requirement nobody meets is said so.
        let patched = try await api.call("PATCH", "/api/v1/tickets/APP-10", token: root, body: ["requiredSkills": [["skill": "terraform", "minLevel": 4]]])
        #expect(patched.status == 200 && (patched.object["requiredSkills"] as? [[String: Any]])?.count == 1, "\(patched.text)")
        let nobody = try await api.call("GET", "/api/v1/tickets/APP-10/recommendations", token: root)
        #expect((nobody.object["note"] as? String)?.hasPrefix("nobody in the candidate pool has the required skills (terraform at level 4 or more, kubernetes at level 5 or more)") == true,
                "\(nobody.text)")
        #expect(await system.stop() == 0)
    }
}
