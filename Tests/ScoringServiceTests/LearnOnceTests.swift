import Contracts
import Foundation
import Testing
@testable import ScoringService

/// Every instance is told every change, and a model loading meanwhile also reads it from storage: a ticket or an
/// override told twice counts once.
@Suite struct LearnOnceTests {
    @Test func aTicketOrAnOverrideToldTwiceCountsOnce() {
        let model = TenantModel()
        var ticket = Ticket(key: "T-1", project: "T", title: "ledger export fails", created: Date(timeIntervalSince1970: 0))
        ticket.assignee = "alice"
        ticket.status = .done
        ticket.resolved = Date(timeIntervalSince1970: 86_400)
        #expect(model.learn([ticket]) == 1)
        #expect(model.learn([ticket]) == 0)
        let override = ScoringContract.Override(ticket: ticket, from: "alice", to: "bob", at: Date(timeIntervalSince1970: 90_000))
        #expect(model.learnOverrides([override]) == 1)
        #expect(model.learnOverrides([override, override]) == 0)
        #expect(model.learnOverrides([.init(ticket: ticket, from: "bob", to: "carol")]) == 1)
    }
}
