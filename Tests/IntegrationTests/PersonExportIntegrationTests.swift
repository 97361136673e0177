import Foundation
import Harness
import Testing

/// The right of access: `GET /api/v1/people/{id}/export` gives a person everything SmartTicket holds about them, and
/// nobody else but an admin of every project.
@Suite(.serialized) struct PersonExportIntegrationTests {
    @Test func aPersonGetsEverythingHeldAboutThemAndNobodyElseDoes() async throws {
        let system = try await RunningSystem(environment: InstancesIntegrationTests.environment)
        defer { system.directory.remove() }
        let api = GatewayIntegrationTests.Client(base: try #require(system.url))
        let tokens = GatewayIntegrationTests()
        let admin = try await tokens.token(system, tenant: "acme", subject: "ada", role: "admin")
        let alice = try await tokens.token(system, tenant: "acme", subject: "alice", role: "viewer")
        let bob = try await tokens.token(system, tenant: "acme", subject: "bob", role: "member")
        let (imported, _) = try await api.call("POST", "/api/v1/import", token: admin, body: InstancesIntegrationTests.history())
        #expect(imported == 200)

        // What the record of alice gains: an admin's change, her own change, and an assignment to her.
        #expect(try await api.call("PATCH", "/api/v1/people/alice", token: admin, body: #"{"weeklyCapacity": 6}"#).0 == 200)
        #expect(try await api.call("PATCH", "/api/v1/people/alice", token: alice,
                                   body: #"{"timeOff": [{"start": "2026-12-24", "end": "2026-12-31", "reason": "holidays"}]}"#).0 == 200)
        #expect(try await api.call("POST", "/api/v1/tickets/OPS-100/assignment", token: admin, body: #"{"assignee": "alice"}"#).0 == 200)

        let (status, export) = try await api.call("GET", "/api/v1/people/alice/export", token: alice)
        #expect(status == 200, "\(export)")
        let person = export["person"] as? [String: Any] ?? [:]
        #expect(person["id"] as? String == "alice" && person["weeklyCapacity"] as? Double == 6)
        #expect((person["timeOff"] as? [[String: Any]])?.first?["reason"] as? String == "holidays")
        let tickets = (export["tickets"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
        #expect(Set(tickets) == ["OPS-1", "OPS-4", "OPS-7", "OPS-10", "OPS-100"], "\(tickets)")
        #expect((export["skills"] as? [[String: Any]] ?? []).contains { $0["skill"] as? String == "component:storage" }, "\(export["skills"] ?? "")")
        let decisions = export["decisions"] as? [[String: Any]] ?? []
        #expect(decisions.contains { $0["ticket"] as? String == "OPS-100" && $0["mode"] as? String == "manual"
                                     && ($0["chosen"] as? [String: Any])?["id"] as? String == "alice" }, "\(decisions)")
        let changes = export["changes"] as? [[String: Any]] ?? []
        #expect(changes.contains { $0["actor"] as? String == "ada" && $0["target"] as? String == "alice" }, "the admin's change: \(changes)")
        #expect(changes.contains { $0["actor"] as? String == "alice" }, "her own change: \(changes)")
        #expect(export["complete"] as? Bool == true && export["tenant"] as? String == "acme")
        // Nothing of another person's: bob's tickets are not in it.
        #expect(!tickets.contains("OPS-2"))

        // Someone else may not read it, not even a member of her projects; an admin of every project may.
        let (refused, body) = try await api.call("GET", "/api/v1/people/alice/export", token: bob)
        #expect(refused == 403, "\(body)")
        #expect(((body["error"] as? [String: Any])?["message"] as? String ?? "").contains("only the person themselves"))
        #expect(try await api.call("GET", "/api/v1/people/alice/export", token: admin).0 == 200)
        #expect(try await api.call("GET", "/api/v1/people/nobody-here/export", token: admin).0 == 404)
        #expect(await system.stop() == 0)
    }
}
