import Contracts
import Foundation
import Harness
import Testing

/// Rebalancing end to end: someone's leave is entered, a plan moves their open work, applying it
/// reassigns and records decisions, a stale plan is refused, undo gives back what was not touched since.
@Suite(.serialized) struct RebalanceIntegrationTests {
    @Test func leaveRebalanceApplyAndUndo() async throws {
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-pristine", "--demo-data", OpenAPIClient.demoData])
        defer { system.directory.remove() }
        let api = try await OpenAPIClient.connect(system)
        let admin = try await OpenAPIClient.token(system, tenant: "demo", subject: "ada", role: "admin", project: "ZK")
        let member = try await OpenAPIClient.token(system, tenant: "demo", subject: "mo", role: "member", project: "ZK")

        // Five open tickets, all given to the person the system ranks first for the first of them.
        let open = try await api.call("GET", "/api/v1/tickets?project=ZK&status=todo&limit=5", token: admin)
        let keys = open.items.compactMap { $0["key"] as? String }
        #expect(keys.count == 5)
        let ranked = try await api.call("POST", "/api/v1/tickets/\(keys[0])/recommendations", token: admin)
        let candidates = (ranked.object["candidates"] as? [[String: Any]] ?? []).compactMap { ($0["person"] as? [String: Any])?["id"] as? String }
        #expect(candidates.count >= 3)
        let leaver = try #require(candidates.first)
        for key in keys {
            let assigned = try await api.call("POST", "/api/v1/tickets/\(key)/assignment", token: admin, body: ["assignee": leaver])
            #expect(assigned.status == 200)
        }

        // Nothing to do while everyone is around.
        let calm = try await api.call("POST", "/api/v1/projects/ZK/rebalance", token: admin)
        #expect(calm.status == 201)
        #expect((calm.object["moves"] as? [Any])?.isEmpty == true)

        // The leave is entered; a member may not rebalance, an admin gets a plan moving every one of the tickets.
        let today = Date()
        let day = { (offset: Double) in String(ISO8601.format(today.addingTimeInterval(offset * 86_400)).prefix(10)) }
        let leave = try await api.call("PATCH", "/api/v1/people/\(OpenAPIClient.segment(leaver))", token: admin,
                                       body: ["timeOff": [["start": day(-1), "end": day(30), "reason": "parental leave"]]])
        #expect(leave.status == 200)
        #expect(try await api.call("POST", "/api/v1/projects/ZK/rebalance", token: member).status == 403)
        let proposed = try await api.call("POST", "/api/v1/projects/ZK/rebalance", token: admin)
        #expect(proposed.status == 201)
        let plan = proposed.object
        let id = try #require(plan["id"] as? String)
        #expect(plan["status"] as? String == "proposed")
        let moves = try #require(plan["moves"] as? [[String: Any]])
        #expect(Set(moves.compactMap { $0["ticket"] as? String }) == Set(keys))
        for move in moves {
            let from = try #require(move["from"] as? [String: Any], "people are {id, name}: \(move)")
            let to = try #require(move["to"] as? [String: Any], "\(move)")
            #expect(from["id"] as? String == leaver && from["name"] as? String == leaver, "the demo's people are named by their ids")
            #expect(to["id"] as? String != leaver && to["name"] is String)
            #expect(move["fromName"] == nil && move["toName"] == nil)
            let reasons = move["reasons"] as? [String] ?? []
            #expect(reasons.first?.contains("is away until \(day(30))") == true, "\(reasons)")
        }
        // The stored plan can be read back.
        let stored = try await api.call("GET", "/api/v1/projects/ZK/rebalance/\(id)", token: member)
        #expect(stored.status == 200)
        #expect(stored.object["id"] as? String == id)

        // A second plan made now goes stale once the first is applied.
        let second = try await api.call("POST", "/api/v1/projects/ZK/rebalance", token: admin)
        let secondID = try #require(second.object["id"] as? String)

        let applied = try await api.call("POST", "/api/v1/projects/ZK/rebalance/\(id)/apply", token: admin)
        #expect(applied.status == 200)
        #expect(applied.object["status"] as? String == "applied")
        for move in moves {
            let key = try #require(move["ticket"] as? String)
            let ticket = try await api.call("GET", "/api/v1/tickets/\(key)", token: admin)
            #expect(ticket.object["assignee"] as? String == Self.id(move["to"]))
            let decisions = try await api.call("GET", "/api/v1/tickets/\(key)/decisions", token: admin)
            let last = try #require(decisions.items.last)
            #expect(last["mode"] as? String == "rebalance")
            #expect(Self.id(last["previous"]) == leaver)
            #expect(Self.id(last["chosen"]) == Self.id(move["to"]))
            #expect((last["chosen"] as? [String: Any])?["name"] is String)
            #expect(last["actor"] as? String == "ada")
            #expect((last["reason"] as? String)?.hasPrefix("rebalance \(id): ") == true)
        }
        let again = try await api.call("POST", "/api/v1/projects/ZK/rebalance/\(id)/apply", token: admin)
        #expect(again.status == 409)
        let stale = try await api.call("POST", "/api/v1/projects/ZK/rebalance/\(secondID)/apply", token: admin)
        #expect(stale.status == 409)
        #expect(stale.errorCode == "FAILED_PRECONDITION")
        #expect(((stale.object["error"] as? [String: Any])?["message"] as? String)?.contains("stale") == true)

        // Someone reassigns one of the moved tickets by hand; undo leaves that one alone and restores the rest.
        let touched = try #require(moves.first?["ticket"] as? String)
        let elsewhere = try #require(candidates.first { $0 != leaver && $0 != Self.id(moves.first?["to"]) })
        #expect(try await api.call("POST", "/api/v1/tickets/\(touched)/assignment", token: member, body: ["assignee": elsewhere]).status == 200)
        let undone = try await api.call("POST", "/api/v1/projects/ZK/rebalance/\(id)/undo", token: admin)
        #expect(undone.status == 200)
        #expect(undone.object["status"] as? String == "undone")
        let report = try #require(undone.object["undo"] as? [String: Any])
        #expect(Set(report["restored"] as? [String] ?? []) == Set(keys).subtracting([touched]))
        #expect((report["skipped"] as? [[String: Any]])?.map { $0["ticket"] as? String } == [touched])
        for key in keys {
            let ticket = try await api.call("GET", "/api/v1/tickets/\(key)", token: admin)
            #expect(ticket.object["assignee"] as? String == (key == touched ? elsewhere : leaver))
        }
        let restoredKey = try #require(keys.first { $0 != touched })
        let audit = try await api.call("GET", "/api/v1/tickets/\(restoredKey)/decisions", token: admin)
        #expect(audit.items.last?["mode"] as? String == "rebalance")
        #expect(Self.id(audit.items.last?["chosen"]) == leaver)
        #expect((audit.items.last?["reason"] as? String) == "undo of rebalance \(id)")
        #expect(try await api.call("POST", "/api/v1/projects/ZK/rebalance/\(id)/undo", token: admin).status == 409)

        // Unknown plans and other projects' paths are 404.
        #expect(try await api.call("POST", "/api/v1/projects/ZK/rebalance/0123456789abcdef/apply", token: admin).status == 404)
        #expect(try await api.call("POST", "/api/v1/projects/ZK/rebalance/not-a-plan/undo", token: admin).status == 404)
        #expect(await system.stop() == 0)
    }

    /// The id of a person as answers give one, `{"id", "name"}`.
    static func id(_ person: Any?) -> String? { (person as? [String: Any])?["id"] as? String }
}
