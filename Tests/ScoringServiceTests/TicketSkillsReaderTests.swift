import Contracts
import Foundation
import Model
import Observability
import Testing
@testable import ScoringService

/// Scoring asks the skills service for the skills of resolved tickets in batches that fit a frame.
@Suite struct TicketSkillsReaderTests {
    func tickets(_ count: Int, description: Int = 0) -> [Ticket] {
        (0..<count).map { Ticket(key: "T-\($0 + 1)", project: "T", title: "t", description: String(repeating: "x", count: description), created: Date()) }
    }

    @Test func batchesHoldAtMostAThousandTicketsAndAboutAMebibyteOfText() {
        let many = TicketSkillsReader.batches(tickets(2_500))
        #expect(many.map(\.count) == [1_000, 1_000, 500])
        #expect(many.flatMap { $0.map(\.key) } == tickets(2_500).map(\.key))
        let long = TicketSkillsReader.batches(tickets(5, description: 400_000))
        #expect(long.map(\.count) == [2, 2, 1])
        // A ticket larger than a batch goes alone; none is dropped.
        let huge = TicketSkillsReader.batches(tickets(2, description: 2 << 20))
        #expect(huge.map(\.count) == [1, 1])
        #expect(TicketSkillsReader.batches([]).isEmpty)
    }

    @Test func withoutASkillsServiceTicketsHaveNoDetectedSkills() async {
        let reader = TicketSkillsReader(skills: nil, logger: Logger(label: "test", sink: .discard))
        #expect(await reader.skills(of: tickets(3), tenant: "t").isEmpty)
    }
}
