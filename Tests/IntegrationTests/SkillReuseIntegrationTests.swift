import Foundation
import Harness
import Testing

/// A recommendation reuses the ticket's stored skills while its text and the tenant's vocabulary are
/// unchanged, and asks the skills service again as soon as the text changes.
@Suite(.serialized) struct SkillReuseIntegrationTests {
    private func skillNames(_ answer: [String: Any]) -> [String] {
        ((answer["skills"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
    }

    @Test func storedSkillsAreReusedUntilTheTextChanges() async throws {
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-data", GatewayIntegrationTests.demo])
        defer { system.directory.remove() }
        let api = GatewayIntegrationTests.Client(base: try #require(system.url))
        let admin = try await GatewayIntegrationTests().token(system, tenant: "demo", subject: "alice", role: "admin")
        let key = "ZK-1200"
        let (firstStatus, first) = try await api.call("POST", "/api/v1/tickets/\(key)/recommendations", token: admin)
        #expect(firstStatus == 200)
        let detected = skillNames(first)
        #expect(!detected.isEmpty)

        // With the skills service frozen, the same ticket still shows its skills: they come from storage.
        let skills = try #require(try await system.status().instances.first { $0.service == .skills }?.pid)
        kill(skills, SIGSTOP)
        var resumed = false
        defer { if !resumed { kill(skills, SIGCONT) } }
        let (againStatus, again) = try await api.call("POST", "/api/v1/tickets/\(key)/recommendations", token: admin)
        #expect(againStatus == 200)
        #expect(skillNames(again) == detected)

        // New text: the stored skills no longer apply, so the frozen service is asked; the answer
        // degrades to no skills instead of showing the old ones.
        let title = #"{"title":"PostgreSQL replication lag after the Kubernetes upgrade"}"#
        let (patchStatus, _) = try await api.call("PATCH", "/api/v1/tickets/\(key)", token: admin, body: title)
        #expect(patchStatus == 200)
        let (frozenStatus, frozen) = try await api.call("POST", "/api/v1/tickets/\(key)/recommendations", token: admin)
        #expect(frozenStatus == 200)
        #expect(skillNames(frozen).isEmpty)

        kill(skills, SIGCONT)
        resumed = true
        let (newStatus, new) = try await api.call("POST", "/api/v1/tickets/\(key)/recommendations", token: admin)
        #expect(newStatus == 200)
        #expect(skillNames(new).contains("postgresql"), "\(skillNames(new))")
        #expect(skillNames(new) != detected)
        #expect(await system.stop() == 0)
    }
}
