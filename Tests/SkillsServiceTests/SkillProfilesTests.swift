import Contracts
import Foundation
import Model
import Observability
import SkillsCore
import Testing
@testable import SkillsService

/// The learned skill profile: decayed evidence of resolved tickets, its count and last use, and overrides away.
@Suite struct SkillProfilesTests {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)
    private let day = 86_400.0
    private let kubernetes = DetectedSkill(name: "kubernetes", weight: 1, source: .taxonomy)
    private let css = DetectedSkill(name: "css", weight: 1, source: .taxonomy)

    private func learned(_ profiles: SkillProfiles, _ person: String, _ skill: String) -> SkillsContract.ProfileSkill? {
        profiles.profile(of: person, now: now).first { $0.skill == skill }
    }

    @Test func threeRecentTicketsGiveOneHalfAndSixThreeQuarters() throws {
        let profiles = SkillProfiles()
        for index in 0..<3 { profiles.resolved(by: "ana", skills: [kubernetes], at: now.addingTimeInterval(-Double(index))) }
        let three = try #require(learned(profiles, "ana", "kubernetes"))
        #expect(abs(three.learned - 0.5) < 1e-6)
        #expect(three.evidence == 3)
        #expect(three.lastUsed == now)
        for _ in 0..<3 { profiles.resolved(by: "ana", skills: [kubernetes], at: now) }
        #expect(abs((learned(profiles, "ana", "kubernetes")?.learned ?? 0) - 0.75) < 1e-6)
        #expect(profiles.profile(of: "ben", now: now).isEmpty, "ben resolved nothing")
    }

    @Test func evidenceHalvesInAYearAndWeighsBySkillWeight() throws {
        let profiles = SkillProfiles()
        profiles.resolved(by: "ana", skills: [kubernetes], at: now.addingTimeInterval(-365 * day))
        profiles.resolved(by: "ben", skills: [DetectedSkill(name: "kubernetes", weight: 0.5, source: .taxonomy)], at: now)
        let ana = try #require(learned(profiles, "ana", "kubernetes"))
        let ben = try #require(learned(profiles, "ben", "kubernetes"))
        #expect(abs(ana.learned - (1 - pow(2, -0.5 / 3))) < 1e-9, "one ticket a year old counts ½")
        #expect(abs(ana.learned - ben.learned) < 1e-9, "as much as a fresh ticket that needed the skill with weight ½")
        #expect(ana.evidence == 1 && ana.lastUsed == now.addingTimeInterval(-365 * day))
    }

    @Test func theOrderTicketsArriveInDoesNotMatter() {
        let times = [0.0, 400, 30, 200, 10].map { now.addingTimeInterval(-$0 * day) }
        let forward = SkillProfiles(), backward = SkillProfiles()
        for time in times { forward.resolved(by: "ana", skills: [kubernetes, css], at: time) }
        for time in times.reversed() { backward.resolved(by: "ana", skills: [kubernetes, css], at: time) }
        let one = forward.profile(of: "ana", now: now), other = backward.profile(of: "ana", now: now)
        #expect(one.count == 2 && other.count == 2)
        for (left, right) in zip(one, other) {
            #expect(left.skill == right.skill && left.evidence == 5 && left.lastUsed == now)
            #expect(abs(left.learned - right.learned) < 1e-9)
        }
    }

    @Test func anOverrideAwayLowersThatSkillOfThatPersonOnly() throws {
        let profiles = SkillProfiles()
        for _ in 0..<3 {
            profiles.resolved(by: "ana", skills: [kubernetes, css], at: now)
            profiles.resolved(by: "ben", skills: [kubernetes], at: now)
        }
        profiles.overridden(from: "ana", skills: [kubernetes], at: now)
        #expect(abs((learned(profiles, "ana", "kubernetes")?.learned ?? 0) - 0.5 / 1.5) < 1e-9, "one override: ×1/(1 + 0.5)")
        #expect(abs((learned(profiles, "ana", "kubernetes")?.overrides ?? 0) - 1) < 1e-9)
        #expect(abs((learned(profiles, "ana", "css")?.learned ?? 0) - 0.5) < 1e-9, "other skills keep their value")
        #expect(abs((learned(profiles, "ben", "kubernetes")?.learned ?? 0) - 0.5) < 1e-9, "other people keep theirs")
        profiles.overridden(from: "ana", skills: [kubernetes], at: now.addingTimeInterval(-180 * day))
        #expect(abs((learned(profiles, "ana", "kubernetes")?.learned ?? 0) - 0.5 / 1.75) < 1e-9, "an override half a year old counts ½")
        profiles.overridden(from: "cleo", skills: [kubernetes], at: now)
        #expect(profiles.profile(of: "cleo", now: now).isEmpty, "overrides alone are no skill")
    }

    @Test func theEngineLearnsProfilesFromResolvedTicketsAndOverridesOnce() async throws {
        let engine = SkillsEngine(taxonomy: try SkillTaxonomy.bundled(), provider: nil, storage: nil, cacheTTL: 60,
                                  logger: Logger(label: "test", sink: .discard))
        #expect(try await engine.profile(of: "ana", tenant: "acme", now: now).isEmpty)
        let tickets = (1...3).map { index in
            Ticket(key: "OPS-\(index)", project: "OPS", title: "Kubernetes pods stuck in CrashLoopBackOff after deploy", assignee: "ana",
                   created: now.addingTimeInterval(-10 * day), resolved: now.addingTimeInterval(-Double(index) * day))
        }
        let open = Ticket(key: "OPS-9", project: "OPS", title: "Kubernetes ingress returns 502", created: now)
        #expect(try await engine.learn(tickets + [open], tenant: "acme") == 3, "only resolved tickets")
        #expect(try await engine.learn(tickets, tenant: "acme") == 0, "each ticket counts once")
        let before = try #require(try await engine.profile(of: "ana", tenant: "acme", now: now).first { $0.skill == "kubernetes" })
        #expect(before.evidence == 3)
        #expect(before.lastUsed == now.addingTimeInterval(-day))
        #expect(before.learned > 0.3)

        let override = ScoringContract.Override(ticket: open, from: "ana", to: "ben", at: now)
        #expect(try await engine.learn([], overrides: [override], tenant: "acme") == 1)
        #expect(try await engine.learn([], overrides: [override], tenant: "acme") == 0, "each override counts once")
        let after = try #require(try await engine.profile(of: "ana", tenant: "acme", now: now).first { $0.skill == "kubernetes" })
        #expect(after.learned < before.learned)
        #expect(after.evidence == 3)
        #expect(try await engine.profile(of: "ana", tenant: "other", now: now).isEmpty, "another tenant learned nothing")

        engine.forget(tenant: "acme")
        #expect(try await engine.profile(of: "ana", tenant: "acme", now: now).isEmpty, "forgotten with the tenant")
    }
}
