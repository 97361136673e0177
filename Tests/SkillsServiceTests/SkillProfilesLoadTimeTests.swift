import Contracts
import Foundation
import Model
import SkillsCore
import Testing
import TestSupport
@testable import SkillsService

/// How long building a tenant's state from the numpy history takes with and without the skill profiles: printed for the
/// record, not asserted (tests assert behaviour, not speed). The profiles it learns are checked.
@Suite struct SkillProfilesLoadTimeTests {
    @Test func numpyHistoryBuildsWithProfiles() throws {
        let tickets = try HistoryReader.read(path: TestFixtures.history("numpy").path)
            .compactMap { try? $0.result.get() }.filter { $0.resolved != nil }.map(\.ticket)
        let detector = SkillDetector(taxonomy: try SkillTaxonomy.bundled())
        let clock = ContinuousClock()
        let vocabularyOnly = clock.measure {
            let learned = LearnedSkills()
            for ticket in tickets.sorted(by: { ($0.resolved ?? $0.updated) < ($1.resolved ?? $1.updated) }) {
                learned.learn(title: ticket.title, description: ticket.description, components: ticket.components, labels: ticket.labels)
            }
        }
        var state: SkillsEngine.Tenant?
        let withProfiles = clock.measure { state = SkillsEngine.build(detector: detector, custom: [], resolved: tickets) }
        print("numpy (\(tickets.count) resolved tickets): vocabulary only \(vocabularyOnly), with profiles \(withProfiles)")
        let state_ = try #require(state)
        let now = tickets.compactMap(\.resolved).max() ?? Date()
        let busiest = Dictionary(grouping: tickets.compactMap(\.assignee), by: { $0 }).max { $0.value.count < $1.value.count }?.key
        let profile = state_.profiles.profile(of: try #require(busiest), now: now)
        #expect(!profile.isEmpty, "the busiest person has learned skills")
        #expect(profile.allSatisfy { $0.learned > 0 && $0.learned < 1 && $0.evidence > 0 && $0.lastUsed != nil })
    }
}
