import Contracts
import Foundation
import Harness
import RPC
import Testing

/// Issue 19, item 2, over HTTP on a real system with two scoring and two skills instances: a person's skill profile is
/// learned from the skills the skills service detected in the tickets they resolved (count, last use), merged with what
/// they declared, lowered by an override away from them, the same on every scoring instance, and gone with the tenant.
@Suite(.serialized) struct SkillProfilesIntegrationTests {
    static let resolvedDaysAgo: [Double] = [40, 30, 20, 10]

    /// ana resolved four kubernetes tickets, ben four css ones (scoring tells them apart by component: their words are in
    /// half the history); OPS-100 (kubernetes) is open and unassigned.
    static func history() -> String {
        var lines: [String] = []
        for (index, daysAgo) in resolvedDaysAgo.enumerated() {
            lines.append(InstancesIntegrationTests.line("OPS-\(index + 1)", "Kubernetes pods stuck in CrashLoopBackOff on node \(index)",
                                                        components: ["cluster"], assignee: "ana", done: true, daysAgo: daysAgo))
            lines.append(InstancesIntegrationTests.line("OPS-\(index + 11)", "CSS grid layout breaks on Safari page \(index)",
                                                        components: ["web"], assignee: "ben", done: true, daysAgo: daysAgo))
        }
        lines.append(InstancesIntegrationTests.line("OPS-100", "Kubernetes pods stuck in CrashLoopBackOff after the upgrade",
                                                    components: ["cluster"], assignee: nil, done: false, daysAgo: 1))
        return lines.joined(separator: "\n") + "\n"
    }

    static func skill(_ name: String, in reply: [String: Any]) -> [String: Any]? {
        (reply["items"] as? [[String: Any]])?.first { $0["skill"] as? String == name }
    }

    /// Each scoring instance's learned profile of `person`, decayed to the same instant.
    static func profiles(_ fleet: InstanceFleet, _ person: String, now: Date) async throws -> [[ScoringContract.ProfileSkill]] {
        var answers: [[ScoringContract.ProfileSkill]] = []
        for client in fleet.scoring {
            answers.append(try await client.call(ScoringContract.profile, .init(person: person, now: now),
                                                 metadata: Metadata(tenant: fleet.tenant, principal: "test")).items)
        }
        return answers
    }

    @Test func profilesAreLearnedDeclaredLoweredByOverridesAndForgotten() async throws {
        let system = try await RunningSystem(environment: InstancesIntegrationTests.environment)
        defer { system.directory.remove() }
        let api = GatewayIntegrationTests.Client(base: try #require(system.url))
        let admin = try await GatewayIntegrationTests().token(system, tenant: "acme", subject: "ada", role: "admin")
        let member = try await GatewayIntegrationTests().token(system, tenant: "acme", subject: "mo", role: "member")
        let ana = try await GatewayIntegrationTests().token(system, tenant: "acme", subject: "ana", role: "viewer", project: "OPS")
        let (status, report) = try await api.call("POST", "/api/v1/import", token: admin, body: Self.history())
        #expect(status == 200 && report["created"] as? Int == 9, "\(report)")
        let fleet = InstanceFleet(system, tenant: "acme")
        defer { fleet.close() }

        // Learned from the tickets she resolved: how many, when last, how well.
        let (got, profile) = try await api.call("GET", "/api/v1/people/ana/skills", token: member)
        #expect(got == 200, "\(profile)")
        let kubernetes = try #require(Self.skill("kubernetes", in: profile), "\(profile)")
        #expect(kubernetes["evidence"] as? Int == 4)
        let learned = try #require(kubernetes["learned"] as? Double)
        #expect(learned > 0.4 && learned < 1, "\(kubernetes)")
        #expect(kubernetes["declared"] is NSNull)
        #expect((1...5).contains(kubernetes["level"] as? Int ?? 0))
        #expect(kubernetes["proficiency"] as? Double == learned)
        let lastResolved = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-10 * 86_400))
        #expect((kubernetes["lastUsed"] as? String)?.prefix(13) == lastResolved.prefix(13), "\(kubernetes)")
        #expect(Self.skill("css", in: profile) == nil, "ana resolved no css ticket")
        let (_, benProfile) = try await api.call("GET", "/api/v1/people/ben/skills", token: member)
        #expect(Self.skill("css", in: benProfile)?["evidence"] as? Int == 4, "\(benProfile)")
        #expect(Self.skill("kubernetes", in: benProfile) == nil)

        // Every scoring instance learned the same.
        let now = Date()
        let before = try await Self.profiles(fleet, "ana", now: now)
        #expect(before[0] == before[1])
        let instanceKubernetes = try #require(before[0].first { $0.skill == "kubernetes" })

        // ana declares a skill herself: it is listed with its level, next to the learned ones.
        let (patched, _) = try await api.call("PATCH", "/api/v1/people/ana", token: ana,
                                              body: #"{"declaredSkills":[{"skill":"terraform","level":4}]}"#)
        #expect(patched == 200)
        let (_, declaredProfile) = try await api.call("GET", "/api/v1/people/ana/skills", token: ana)
        let terraform = try #require(Self.skill("terraform", in: declaredProfile), "\(declaredProfile)")
        #expect(terraform["declared"] as? Int == 4 && terraform["level"] as? Int == 4)
        #expect(terraform["proficiency"] as? Double == 0.8 && terraform["learned"] as? Double == 0 && terraform["evidence"] as? Int == 0)
        #expect(terraform["lastUsed"] is NSNull)
        #expect((declaredProfile["items"] as? [[String: Any]])?.first?["skill"] as? String == "terraform", "by proficiency: 0.8 first")

        // An override away from ana on a kubernetes ticket lowers her learned kubernetes, on every instance at once.
        let (recommended, recommendation) = try await api.call("POST", "/api/v1/tickets/OPS-100/recommendations", token: member)
        #expect(recommended == 200)
        let top = ((recommendation["candidates"] as? [[String: Any]])?.first?["person"] as? [String: Any])?["id"] as? String
        #expect(top == "ana", "\(recommendation)")
        let (assigned, decision) = try await api.call("POST", "/api/v1/tickets/OPS-100/assignment", token: member,
                                                      body: #"{"assignee":"ben","reason":"ana is on the migration"}"#)
        #expect(assigned == 200 && decision["mode"] as? String == "override", "\(decision)")
        let after = try await Self.profiles(fleet, "ana", now: now)
        for instance in 0..<2 {
            let lowered = try #require(after[instance].first { $0.skill == "kubernetes" })
            #expect(lowered.learned < instanceKubernetes.learned, "scoring instance \(instance): \(lowered)")
            #expect(lowered.evidence == 4 && lowered.overrides > 0.99)
        }
        let (_, overridden) = try await api.call("GET", "/api/v1/people/ana/skills", token: member)
        #expect((Self.skill("kubernetes", in: overridden)?["learned"] as? Double ?? 1) < learned, "\(overridden)")

        // An instance that forgets the tenant (as after a restart) loads the same profile again from storage: the tickets
        // and the decision log's override.
        _ = try await fleet.scoring[0].call(ScoringContract.reset, .init(), metadata: Metadata(tenant: "acme", principal: "test"))
        let reloaded = try await Self.profiles(fleet, "ana", now: now)
        #expect(reloaded[0].map(\.skill) == after[1].map(\.skill))
        for (again, live) in zip(reloaded[0], after[1]) {
            #expect(again.evidence == live.evidence && again.lastUsed == live.lastUsed, "\(again) vs \(live)")
            #expect(abs(again.learned - live.learned) < 1e-6 && abs(again.overrides - live.overrides) < 1e-6, "\(again) vs \(live)")
        }

        // A person of no tenant's history: 404, as for GET /people/{id}.
        #expect(try await api.call("GET", "/api/v1/people/nobody/skills", token: member).0 == 404)

        // Uninstall: every scoring instance forgets the profiles with the tenant.
        #expect(try await api.call("DELETE", "/api/v1/tenant", token: admin).0 == 200)
        for answer in try await Self.profiles(fleet, "ana", now: now) { #expect(answer.isEmpty, "\(answer)") }
        #expect(await system.stop() == 0)
    }
}
