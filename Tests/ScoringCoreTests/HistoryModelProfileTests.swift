import Foundation
import Harness
import Model
import Testing
@testable import ScoringCore

/// The learned skill profile (issue 19, item 2): decayed evidence of the resolved tickets that needed a skill (their
/// detected skills at their weight, their components and labels at 1), its count and last use, and overrides away.
@Suite struct HistoryModelProfileTests {
    typealias Text = HistoryModel.TicketText
    private let now = Date(timeIntervalSince1970: 1_800_000_000)
    private let day = 86_400.0
    private func skill(_ name: String, _ weight: Double = 1) -> DetectedSkill { DetectedSkill(name: name, weight: weight, source: .taxonomy) }

    private func learned(_ model: HistoryModel, _ person: String, _ skill: String) -> LearnedSkill? {
        model.profile(of: person, now: now).first { $0.skill == skill }
    }

    @Test func threeRecentTicketsGiveOneHalfAndSixThreeQuarters() throws {
        let model = HistoryModel()
        for index in 0..<3 {
            model.learn(Text(title: "pods \(index)", detected: [skill("kubernetes")]), assignee: "ana", resolved: now.addingTimeInterval(Double(index - 2)))
        }
        let three = try #require(learned(model, "ana", "kubernetes"))
        #expect(abs(three.learned - 0.5) < 1e-6)
        #expect(three.tickets == 3 && three.lastUsed == now && three.overrides == 0)
        for index in 0..<3 { model.learn(Text(title: "helm \(index)", detected: [skill("kubernetes")]), assignee: "ana", resolved: now) }
        #expect(abs((learned(model, "ana", "kubernetes")?.learned ?? 0) - 0.75) < 1e-6)
        #expect(model.profile(of: "ben", now: now).isEmpty, "ben resolved nothing")
    }

    @Test func evidenceHalvesInAYearWeighsBySkillWeightAndComponentsCountWhole() throws {
        let model = HistoryModel()
        model.learn(Text(title: "old", components: ["cluster"], detected: [skill("kubernetes")]), assignee: "ana",
                    resolved: now.addingTimeInterval(-365 * day))
        model.learn(Text(title: "new", detected: [skill("kubernetes", 0.5)]), assignee: "ben", resolved: now)
        let ana = try #require(learned(model, "ana", "kubernetes"))
        let ben = try #require(learned(model, "ben", "kubernetes"))
        #expect(abs(ana.learned - (1 - pow(2, -0.5 / 3))) < 1e-9, "one ticket a year old counts ½")
        #expect(abs(ana.learned - ben.learned) < 1e-9, "as much as a fresh ticket that needed the skill with weight ½")
        #expect(ana.tickets == 1 && ana.lastUsed == now.addingTimeInterval(-365 * day))
        let cluster = try #require(learned(model, "ana", "component:cluster"), "a ticket's own component is a skill at weight 1")
        #expect(abs(cluster.evidence - 0.5) < 1e-9 && cluster.tickets == 1)
        #expect(model.profile(of: "ana", now: now).map(\.skill) == ["component:cluster", "kubernetes"], "by proficiency, then name")
    }

    @Test func anOverrideAwayLowersThatSkillOfThatPersonOnly() throws {
        let model = HistoryModel()
        for index in 0..<3 {
            model.learn(Text(title: "a\(index)", detected: [skill("kubernetes"), skill("css")]), assignee: "ana", resolved: now)
            model.learn(Text(title: "b\(index)", detected: [skill("kubernetes")]), assignee: "ben", resolved: now)
        }
        model.learnOverride(Text(title: "taken", detected: [skill("kubernetes")]), from: "ana", at: now)
        #expect(abs((learned(model, "ana", "kubernetes")?.learned ?? 0) - 0.5 / 1.5) < 1e-9, "one override: ×1/(1 + 0.5)")
        #expect(abs((learned(model, "ana", "kubernetes")?.overrides ?? 0) - 1) < 1e-9)
        #expect(abs((learned(model, "ana", "css")?.learned ?? 0) - 0.5) < 1e-9, "other skills keep their value")
        #expect(abs((learned(model, "ben", "kubernetes")?.learned ?? 0) - 0.5) < 1e-9, "other people keep theirs")
        // An override of a ticket with a component lowers its detected skills too.
        model.learnOverride(Text(title: "taken", components: ["cluster"], detected: [skill("kubernetes")]), from: "ana",
                            at: now.addingTimeInterval(-180 * day))
        #expect(abs((learned(model, "ana", "kubernetes")?.learned ?? 0) - 0.5 / 1.75) < 1e-9, "an override half a year old counts ½")
        model.learnOverride(Text(title: "taken", detected: [skill("kubernetes")]), from: "cleo", at: now)
        #expect(model.profile(of: "cleo", now: now).isEmpty, "overrides alone are no skill")
    }

    /// A model learned from the whole numpy history (components and labels only) has a profile for its busiest person.
    @Test func theNumpyHistoryGivesTheBusiestPersonAProfile() async throws {
        try await onBlockingThread {
            let records = try HistoryReader.read(path: TestFixtures.history("numpy").path)
                .compactMap { try? $0.result.get() }.filter { $0.resolved != nil }.sorted { $0.resolved! < $1.resolved! }
            let model = HistoryModel()
            for record in records { model.learn(Text(record), assignee: record.assignee, resolved: record.resolved!) }
            let busiest = try #require(Dictionary(grouping: records.compactMap(\.assignee), by: { $0 }).max { $0.value.count < $1.value.count }?.key)
            let last = records.last!.resolved!
            let profile = model.profile(of: busiest, now: last)
            #expect(!profile.isEmpty, "the busiest person has learned skills")
            #expect(profile.allSatisfy { $0.learned > 0 && $0.learned < 1 && $0.tickets > 0 && $0.lastUsed <= last })
            #expect(zip(profile, profile.dropFirst()).allSatisfy { $0.learned >= $1.learned })
        }
    }
}
