import Foundation
import Contracts
import Testing

@Suite struct StorageMessagesBinaryCodableTests {
    @Test func decisionRecord() throws {
        try BinaryCodableCheck.check(Fixtures.decisionRecord, complete: true)
        try BinaryCodableCheck.check(Fixtures.minimalDecisionRecord, complete: false)
        try BinaryCodableCheck.check(StorageContract.DecisionRecord(Fixtures.decision), complete: true)
    }

    @Test func decisionID() throws {
        try BinaryCodableCheck.check(StorageContract.DecisionID(id: -9_223_372_036_854_775_808), complete: true)
        try BinaryCodableCheck.check(StorageContract.DecisionID(id: 0), complete: true)
    }

    @Test func ticketSkills() throws {
        try BinaryCodableCheck.check(StorageContract.TicketSkills(ticket: "PAY-12", skills: [Fixtures.detectedSkill], contentHash: "ab12"),
                                     complete: true)
        try BinaryCodableCheck.check(StorageContract.TicketSkills(ticket: "", skills: [], contentHash: ""), complete: false)
    }

    @Test func empty() throws {
        try BinaryCodableCheck.check(StorageContract.Empty(), complete: true)
    }

    @Test func listDecisions() throws {
        try BinaryCodableCheck.check(StorageContract.ListDecisionsRequest(ticket: "PAY-12", project: "PAY", cursor: "c1", limit: 20,
                                                                          newestFirst: true, modes: [.override], afterID: 7, beforeID: 90,
                                                                          person: "ann", since: Date(timeIntervalSince1970: 1_700_000_000.5),
                                                                          withoutCandidates: true), complete: true)
        try BinaryCodableCheck.check(StorageContract.ListDecisionsRequest(), complete: false)
        try BinaryCodableCheck.check(StorageContract.DecisionPage(items: [Fixtures.decision], next: "c2"), complete: true)
        try BinaryCodableCheck.check(StorageContract.DecisionPage(items: [Fixtures.minimalDecision, Fixtures.decision], next: nil),
                                     complete: false, corruptBytes: false)
        try BinaryCodableCheck.check(StorageContract.DecisionPage(items: [], next: nil), complete: false)
    }
}
