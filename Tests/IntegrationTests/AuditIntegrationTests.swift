import Foundation
import Harness
import Model
import Testing

/// Issue 22, item 6: admin changes made through the API (a settings PATCH, roles granted, changed and revoked, custom
/// skills, a person's own edit) and decisions (a recommendation, an assignment with its reason) read back from
/// `GET /api/v1/audit` with who acted, when, before and after; filters, merged paging, access and bad parameters.
/// Every answer is checked against the OpenAPI document.
@Suite(.serialized) struct AuditIntegrationTests {
    static func entries(_ api: OpenAPIClient, _ query: String, token: String) async throws -> [[String: Any]] {
        let reply = try await api.call("GET", "/api/v1/audit" + query, token: token)
        #expect(reply.status == 200, "\(query): \(reply.text.prefix(300))")
        return reply.items
    }

    @Test func changesAndDecisionsAreReadBackWithWhoWhenBeforeAndAfter() async throws {
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-pristine", "--demo-data", OpenAPIClient.demoData])
        defer { system.directory.remove() }
        let api = try await OpenAPIClient.connect(system)
        let root = try await OpenAPIClient.token(system, tenant: "demo", subject: "ada", role: "admin")
        let lead = try await OpenAPIClient.token(system, tenant: "demo", subject: "lead", role: "admin", project: "ZK")
        let viewer = try await OpenAPIClient.token(system, tenant: "demo", subject: "vera", role: "viewer", project: "ZK")
        let started = Date().addingTimeInterval(-1)

        // Admin changes: settings (PATCH), a role granted, changed and revoked, custom skills, a person's own edit.
        let before = try await api.call("GET", "/api/v1/projects/ZK/settings", token: lead).object
        let patched = try await api.call("PATCH", "/api/v1/projects/ZK/settings", token: lead, body: ["staleDays": 21, "weights": ["skillFit": 2]])
        #expect(patched.status == 200)
        #expect(try await api.call("PATCH", "/api/v1/projects/ZK/settings", token: lead, body: ["staleDays": 21]).status == 200, "no change")
        #expect(try await api.call("PUT", "/api/v1/projects/ZK/roles/zoe", token: lead, body: ["role": "viewer"]).status == 200)
        #expect(try await api.call("PUT", "/api/v1/projects/ZK/roles/zoe", token: lead, body: ["role": "member"]).status == 200)
        #expect(try await api.call("DELETE", "/api/v1/projects/ZK/roles/zoe", token: lead).status == 204)
        let skills = ["items": [["id": "ledger", "name": "The Ledger", "category": "finance", "aliases": ["general ledger"]]]]
        #expect(try await api.call("PUT", "/api/v1/skills/custom", token: root, body: skills).status == 200)
        let person = try #require(try await api.call("GET", "/api/v1/people?limit=1", token: root).items.first?["id"] as? String)
        let own = try await OpenAPIClient.token(system, tenant: "demo", subject: person, role: "viewer", project: "ZK")
        #expect(try await api.call("PATCH", "/api/v1/people/\(OpenAPIClient.segment(person))", token: own, body: ["weeklyCapacity": 12]).status == 200)
        // Decisions: a recommendation (suggested), then an assignment to the second suggestion with a reason (override).
        let open = try #require(try await api.call("GET", "/api/v1/tickets?project=ZK&status=open&limit=1", token: root).items.first?["key"] as? String)
        let ranked = try await api.call("POST", "/api/v1/tickets/\(open)/recommendations", token: lead)
        let people = (ranked.object["candidates"] as? [[String: Any]] ?? []).compactMap { ($0["person"] as? [String: Any])?["id"] as? String }
        try #require(people.count >= 2, "\(ranked.text.prefix(300))")
        let assigned = try await api.call("POST", "/api/v1/tickets/\(open)/assignment", token: lead,
                                          body: ["assignee": people[1], "reason": "knows this code best"])
        #expect(assigned.status == 200, "\(assigned.text.prefix(300))")

        // The project's admin reads the project's trail, newest first: no tenant-wide change in it.
        let trail = try await Self.entries(api, "?project=ZK", token: lead)
        #expect(trail.map { $0["kind"] as? String ?? "" }.prefix(6) == ["decision", "decision", "role", "role", "role", "settings"], "\(trail)")
        let dates = trail.compactMap { ($0["at"] as? String).flatMap(ISO8601.parse) }
        #expect(dates.count == trail.count && dates == dates.sorted(by: >) && dates.allSatisfy { $0 >= started }, "newest first")
        #expect(!trail.contains { ["customSkills", "person"].contains($0["kind"] as? String) })
        let settings = try #require(trail.first { $0["kind"] as? String == "settings" })
        #expect(trail.filter { $0["kind"] as? String == "settings" }.count == 1, "the PATCH that changed nothing is not recorded")
        #expect(settings["actor"] as? String == "lead" && settings["project"] as? String == "ZK" && settings["target"] as? String == "ZK")
        let settingsBefore = try #require(settings["before"] as? [String: Any])
        let settingsAfter = try #require(settings["after"] as? [String: Any])
        #expect(settingsBefore["staleDays"] as? Int == before["staleDays"] as? Int && settingsAfter["staleDays"] as? Int == 21)
        #expect((settingsBefore["weights"] as? [String: Double])?["skillFit"] == (before["weights"] as? [String: Double])?["skillFit"])
        #expect((settingsAfter["weights"] as? [String: Double])?["skillFit"] == 2)
        #expect(settingsAfter["candidatePool"] as? String == before["candidatePool"] as? String, "the whole settings, before and after")
        let roles = trail.filter { $0["kind"] as? String == "role" }
        #expect(roles.map { "\($0["before"] as? String ?? "-")>\($0["after"] as? String ?? "-")" } == ["member>-", "viewer>member", "->viewer"])
        #expect(roles.allSatisfy { $0["target"] as? String == "zoe" && $0["actor"] as? String == "lead" })
        let override = try #require(trail.first)
        #expect(override["mode"] as? String == "override" && override["ticket"] as? String == open && (override["chosen"] as? [String: Any])?["id"] as? String == people[1])
        #expect(override["reason"] as? String == "knows this code best" && override["actor"] as? String == "lead")
        #expect(trail[1]["mode"] as? String == "suggested" && (trail[1]["chosen"] as? [String: Any])?["id"] as? String == people[0])

        // The `*` admin reads every project's trail and the tenant-wide changes.
        let all = try await Self.entries(api, "?kind=change", token: root)
        #expect(all.map { $0["kind"] as? String ?? "" } == ["person", "customSkills", "role", "role", "role", "settings"], "\(all)")
        let edit = all[0]
        #expect(edit["actor"] as? String == person && edit["target"] as? String == person && edit["project"] is NSNull)
        #expect((edit["after"] as? [String: Any])?["weeklyCapacity"] as? Double == 12)
        #expect((edit["before"] as? [String: Any])?["weeklyCapacity"] as? Double != 12)
        #expect(((all[1]["after"] as? [String: Any])?["ledger"] as? [String: Any])?["name"] as? String == "The Ledger")
        #expect(all[1]["before"] is NSNull || (all[1]["before"] as? [String: Any])?.isEmpty == true)

        // Filters: kind, mode, person, since.
        #expect(try await Self.entries(api, "?project=ZK&kind=settings", token: lead).count == 1)
        #expect(try await Self.entries(api, "?project=ZK&kind=decision", token: lead).count == 2)
        #expect(try await Self.entries(api, "?project=ZK&mode=override", token: lead).map { $0["ticket"] as? String } == [open])
        #expect(try await Self.entries(api, "?project=ZK&mode=manual,auto", token: lead).isEmpty)
        let theirs = try await Self.entries(api, "?person=\(OpenAPIClient.segment(people[1]))", token: root)
        #expect(theirs.contains { $0["mode"] as? String == "override" }, "\(theirs)")
        #expect(theirs.allSatisfy { ($0["chosen"] as? [String: Any])?["id"] as? String == people[1] || ($0["previous"] as? [String: Any])?["id"] as? String == people[1] || $0["target"] as? String == people[1] })
        let editsOf = try await Self.entries(api, "?kind=person&person=\(OpenAPIClient.segment(person))", token: root)
        #expect(editsOf.count == 1 && editsOf.first?["target"] as? String == person)
        #expect(try await Self.entries(api, "?project=ZK&since=2099-01-01", token: lead).isEmpty)
        #expect(try await Self.entries(api, "?project=ZK&since=\(ISO8601.format(started))", token: lead).count == trail.count)

        // Paging two at a time gives the whole list once, in the same order.
        var paged: [String] = []
        var cursor: String?
        repeat {
            let query = "?limit=2" + (cursor.map { "&cursor=" + OpenAPIClient.segment($0) } ?? "")
            let reply = try await api.call("GET", "/api/v1/audit" + query, token: root)
            #expect(reply.status == 200 && reply.items.count <= 2)
            paged += reply.items.map { "\($0["kind"] as? String ?? "")\($0["id"] as? Int ?? 0)" }
            cursor = reply.object["next"] as? String
        } while cursor != nil && paged.count < 100
        let whole = try await Self.entries(api, "?limit=500", token: root).map { "\($0["kind"] as? String ?? "")\($0["id"] as? Int ?? 0)" }
        #expect(paged == whole && whole.count == 8, "\(paged) vs \(whole)")

        // Access: a project's admin only with project=, a viewer never; another project is not found.
        #expect(try await api.call("GET", "/api/v1/audit", token: lead).status == 403)
        #expect(try await api.call("GET", "/api/v1/audit?project=ZK", token: viewer).status == 403)
        #expect(try await api.call("GET", "/api/v1/audit?project=NOPE", token: lead).status == 404)
        // Bad parameters are named.
        for (query, name) in [("since=last%20week", "since"), ("kind=tickets", "kind"), ("mode=often", "mode"), ("limit=501", "limit"),
                              ("cursor=AAAA", "cursor")] {
            let reply = try await api.call("GET", "/api/v1/audit?project=ZK&" + query, token: lead)
            #expect(reply.status == 400 && reply.text.contains("`\(name)`"), "\(query): \(reply.text)")
        }

        // Kept until the tenant is deleted: gone with it.
        #expect(try await api.call("DELETE", "/api/v1/tenant", token: root).status == 200)
        #expect(await system.stop() == 0)
    }
}
