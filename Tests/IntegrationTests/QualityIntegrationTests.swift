import Foundation
import Harness
import Testing
import TestSupport

/// `GET /api/v1/projects/{key}/quality` end to end: decisions made through the API (rankings, assignments that take the
/// first suggestion or depart from it, an automatic assignment changed the same day) counted as they happened, and
/// `GET /api/v1/projects/{key}/roles`.
@Suite(.serialized) struct QualityIntegrationTests {
    @Test func qualityCountsTheDecisionsMadeThroughTheAPI() async throws {
        let scenario = try await PanelScenario.start()
        defer { scenario.system.directory.remove() }
        let viewer = try await scenario.token(subject: "vera", role: "viewer", project: "ZK")
        let member = try await scenario.token(subject: "mo", role: "member", project: "ZK")
        let before = try await scenario.call("GET", "/api/v1/projects/ZK/quality", token: viewer)
        #expect(before.status == 200, "\(before.json)")
        #expect((before.json["byWeek"] as? [Any])?.count == 12, "12 weeks by default")

        // Four rankings: two assignments to the first suggestion, one to the second, one to the sixth.
        let open = try #require(try await scenario.call("GET", "/api/v1/tickets?project=ZK&status=todo&limit=4").json["items"] as? [[String: Any]])
        try #require(open.count == 4)
        for (index, ticket) in open.enumerated() {
            let key = try #require(ticket["key"] as? String)
            let ranked = try await scenario.call("POST", "/api/v1/tickets/\(key)/recommendations", token: member)
            let people = (ranked.json["candidates"] as? [[String: Any]] ?? []).compactMap { ($0["person"] as? [String: Any])?["id"] as? String }
            try #require(people.count >= 6, "\(ranked.json)")
            let chosen = people[[0, 0, 1, 5][index]]
            #expect(try await scenario.call("POST", "/api/v1/tickets/\(key)/assignment", token: member, body: ["assignee": chosen]).status == 200)
        }
        // With auto-assign on, a new ticket may be assigned by itself; given to someone else at once, it was not kept.
        var settings = try await scenario.call("GET", "/api/v1/projects/ZK/settings").json
        settings["autoAssign"] = true
        settings["confidenceThreshold"] = 0
        #expect(try await scenario.call("PUT", "/api/v1/projects/ZK/settings", body: settings).status == 200)
        let created = try await scenario.call("POST", "/api/v1/tickets", token: member, body: [
            "key": "ZK-8001", "project": "ZK", "title": "Leader election stalls after a network partition",
            "description": "The quorum never forms again until a restart.", "components": ["server"]])
        #expect(created.status == 201, "\(created.json)")
        let log = try #require(try await scenario.call("GET", "/api/v1/tickets/ZK-8001/decisions").json["items"] as? [[String: Any]])
        var (autoCount, autoTop1, autoTop3, suggested) = (0, 0, 0, 0)
        if let auto = log.first(where: { $0["mode"] as? String == "auto" }) {
            let candidates = (auto["candidates"] as? [[String: Any]] ?? []).compactMap { ($0["person"] as? [String: Any])?["id"] as? String }
            let chosen = try #require((auto["chosen"] as? [String: Any])?["id"] as? String)
            autoCount = 1
            autoTop1 = candidates.first == chosen ? 1 : 0
            autoTop3 = candidates.prefix(3).contains(chosen) ? 1 : 0
            let elsewhere = try #require(candidates.dropFirst(3).first { $0 != chosen }, "\(auto)")
            #expect(try await scenario.call("POST", "/api/v1/tickets/ZK-8001/assignment", token: member, body: ["assignee": elsewhere]).status == 200)
        } else {
            suggested = log.contains { $0["mode"] as? String == "suggested" } ? 1 : 0
        }

        let after = try await scenario.call("GET", "/api/v1/projects/ZK/quality?weeks=12", token: viewer)
        #expect(after.status == 200, "\(after.json)")
        let delta = { (key: String) in (after.json[key] as? Int ?? -100) - (before.json[key] as? Int ?? 0) }
        #expect(delta("recommended") == 4 + suggested, "\(after.json)")
        #expect(delta("assigned") == 4 + 2 * autoCount, "\(after.json)")
        #expect(delta("acceptedTop1") == 2 + autoTop1)
        #expect(delta("acceptedTop3") == 3 + autoTop3)
        #expect(delta("overrides") == 2 + autoCount)
        #expect(delta("autoAssigned") == autoCount)
        #expect(delta("autoAssignedKept") == 0, "an automatic assignment changed at once was not kept")
        #expect(after.json["medianTimeToAssignHours"] is Double)
        let thisWeek = try #require((after.json["byWeek"] as? [[String: Any]])?.last)
        let weekBefore = (before.json["byWeek"] as? [[String: Any]])?.last ?? [:]
        #expect((thisWeek["assigned"] as? Int ?? 0) - (weekBefore["assigned"] as? Int ?? 0) == 4 + 2 * autoCount, "the current week has them")
        let monday = try #require(thisWeek["week"] as? String)
        #expect(monday.count == 10 && monday.hasPrefix("20"))

        // weeks is 1 to 52; anything else is refused naming it.
        #expect((try await scenario.call("GET", "/api/v1/projects/ZK/quality?weeks=1", token: viewer).json["byWeek"] as? [Any])?.count == 1)
        #expect((try await scenario.call("GET", "/api/v1/projects/ZK/quality?weeks=52", token: viewer).json["byWeek"] as? [Any])?.count == 52)
        for weeks in ["0", "53", "x", "-1", ""] {
            let refused = try await scenario.call("GET", "/api/v1/projects/ZK/quality?weeks=\(weeks)", token: viewer)
            #expect(refused.status == 400, "weeks=\(weeks)")
            #expect(((refused.json["error"] as? [String: Any])?["message"] as? String)?.contains("`weeks`") == true, "\(refused.json)")
        }
        #expect(try await scenario.call("GET", "/api/v1/projects/NOPE/quality").status == 404)

        // Roles: listed for admins only, the project's own then those for every project.
        #expect(try await scenario.call("PUT", "/api/v1/projects/ZK/roles/zoe", body: ["role": "member"]).status == 200)
        let roles = try await scenario.call("GET", "/api/v1/projects/ZK/roles")
        #expect(roles.status == 200)
        #expect((roles.json["items"] as? [[String: Any]])?.contains { $0["principal"] as? String == "zoe" && $0["role"] as? String == "member"
            && $0["project"] as? String == "ZK" } == true, "\(roles.json)")
        #expect(try await scenario.call("GET", "/api/v1/projects/ZK/roles", token: member).status == 403)
        #expect(await scenario.system.stop() == 0)
    }
}
