import Contracts
import Foundation
import Testing
@testable import ScoringService

/// One clock per ranking: the fairness window (effort in the 30 days before) ends at the ranking's `now`, not at the
/// time the service happens to run, so a ranking at a past or future `now` counts the effort of its own window.
@Suite struct FairnessWindowTests {
    /// Far from today, so a window ending at the wall clock could not see any of it.
    let epoch = Date(timeIntervalSince1970: 1_600_000_000)
    func day(_ n: Double) -> Date { epoch.addingTimeInterval(n * 86_400) }

    /// alice was given 5 points of work on day 0, bob nothing; both are assignable.
    func snapshot() -> TenantSnapshot {
        var work = Ticket(key: "T-1", project: "T", title: "ledger export", storyPoints: 5, created: day(-1))
        work.assignee = "alice"
        work.updated = day(0)
        var alice = Person(id: "alice", displayName: "Alice"), bob = Person(id: "bob", displayName: "Bob")
        alice.assignable = true
        bob.assignable = true
        return TenantSnapshot(version: "epoch-1", people: [alice, bob], openTickets: [], recentTickets: [work], effortSince: day(-100))
    }

    func fairness(at now: Date) throws -> [String: Double] {
        var settings = ProjectSettings()
        settings.candidatePool = "assignable"
        let ticket = Ticket(key: "T-2", project: "T", title: "something new", created: now)
        let ranking = TenantModel().rank(.init(ticket: ticket, settings: settings, people: [], limit: 5, now: now, snapshot: true),
                                         snapshot: snapshot())
        return Dictionary(uniqueKeysWithValues: try ranking.candidates.map { ($0.person, try #require($0.factors["fairness"]).value) })
    }

    @Test func theWindowEndsAtTheRankingsNow() throws {
        // Ten days later, alice's effort is in the window: bob is the fairer choice.
        let inside = try fairness(at: day(10))
        #expect(inside["alice"] == 0 && inside["bob"] == 1, "\(inside)")
        // Forty days later it has left the window; a day before, it has not happened yet.
        for now in [day(40), day(-1)] {
            let outside = try fairness(at: now)
            #expect(outside["alice"] == 1 && outside["bob"] == 1, "at \(now): \(outside)")
        }
    }

    @Test func aSnapshotKnowsWhichWindowsItCanServe() {
        let snapshot = snapshot()
        #expect(snapshot.knowsEffort(since: day(-30)))
        #expect(!snapshot.knowsEffort(since: day(-101)))
        #expect(snapshot.recentEffort(since: day(-30), until: day(1)) == ["alice": 5])
        #expect(snapshot.recentEffort(since: day(-30), until: day(-1)).isEmpty)
        #expect(snapshot.recentEffort(since: day(1)).isEmpty)
    }
}
