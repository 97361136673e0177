import Contracts
import Foundation
import Model
import SkillsCore
import Testing
import TestSupport
@testable import SkillsService

/// A tenant's state built from the whole numpy history has skill profiles for the people who resolved its tickets.
/// (How long the build takes is measured by the service's "tenant skills loaded" log, not here: tests assert
/// behaviour, not speed.)
@Suite struct SkillProfilesHistoryTests {
    @Test func theNumpyHistoryGivesTheBusiestPersonAProfile() async throws {
        // Heavy and synchronous: on its own thread, so the test process's shared threads stay free.
        try await onBlockingThread {
            let tickets = try HistoryReader.read(path: TestFixtures.history("numpy").path)
                .compactMap { try? $0.result.get() }.filter { $0.resolved != nil }.map(\.ticket)
            let detector = SkillDetector(taxonomy: try SkillTaxonomy.bundled())
            let state = SkillsEngine.build(detector: detector, custom: [], resolved: tickets)
            let now = tickets.compactMap(\.resolved).max() ?? Date()
            let busiest = Dictionary(grouping: tickets.compactMap(\.assignee), by: { $0 }).max { $0.value.count < $1.value.count }?.key
            let profile = state.profiles.profile(of: try #require(busiest), now: now)
            #expect(!profile.isEmpty, "the busiest person has learned skills")
            #expect(profile.allSatisfy { $0.learned > 0 && $0.learned < 1 && $0.evidence > 0 && $0.lastUsed != nil })
        }
    }
}
