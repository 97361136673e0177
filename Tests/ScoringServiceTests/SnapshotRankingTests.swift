import Contracts
import Foundation
import Testing
@testable import ScoringService

/// Ranking from a tenant snapshot (people, open work and effort looked up by position, model indexes cached
/// per snapshot and model generation) gives what ranking the same people, open work and effort sent in the
/// request gives.
@Suite struct SnapshotRankingTests {
    let now = Date()
    func day(_ n: Double) -> Date { now.addingTimeInterval(n * 86_400) }

    /// alice and bob resolve storage work, carol web work; dave never resolved anything but declares a skill; erin
    /// neither. alice, bob and carol are assignable.
    func history() -> [Ticket] {
        var tickets: [Ticket] = []
        for i in 0..<30 {
            let (person, title, component) = [("alice", "storage compaction stalls", "storage"), ("bob", "storage snapshot slow", "storage"),
                                              ("carol", "web page layout broken", "web")][i % 3]
            var ticket = Ticket(key: "T-\(i + 1)", project: "T", title: "\(title) \(i)", components: [component], created: day(Double(i) - 60))
            ticket.assignee = person
            ticket.resolved = day(Double(i) - 59)
            ticket.status = .done
            tickets.append(ticket)
        }
        return tickets
    }

    func people() -> [Person] {
        var dave = Person(id: "dave", displayName: "Dave")
        dave.declaredSkills = [.init(skill: "storage", level: 3)]
        var carol = Person(id: "carol", displayName: "Carol")
        carol.weeklyCapacity = 4
        carol.assignable = true
        var alice = Person(id: "alice", displayName: "Alice"), bob = Person(id: "bob", displayName: "Bob")
        alice.assignable = true
        bob.assignable = true
        return [alice, bob, carol, dave, Person(id: "erin", displayName: "Erin")]
    }

    func open(_ key: String, _ assignee: String, points: Double?, priority: String?) -> Ticket {
        var ticket = Ticket(key: key, project: "T", title: "open \(key)", priority: priority, storyPoints: points, created: day(-2))
        ticket.assignee = assignee
        ticket.status = .inProgress
        ticket.updated = day(-1)
        return ticket
    }

    @Test func snapshotRankingEqualsRankingTheSameDataSentInTheRequest() {
        let model = TenantModel()
        #expect(model.learn(history()) == 30)
        let openTickets = [open("T-100", "alice", points: 3, priority: "High"), open("T-101", "alice", points: nil, priority: nil),
                           open("T-102", "carol", points: 2, priority: "Low"), open("T-103", "bob", points: 5, priority: nil)]
        let snapshot = TenantSnapshot(version: "epoch-1", people: people(), openTickets: openTickets, recentTickets: openTickets)
        var settings = ProjectSettings()
        for (rule, (title, key)) in [("all", ("storage compaction stalls again", "T-100")), ("recent", ("web page layout broken on mobile", "T-200")),
                                     ("assignable", ("storage snapshot slow", "T-103"))] {
            settings.candidatePool = rule
            let ticket = Ticket(key: key, project: "T", title: title, components: [], created: now)
            var request = ScoringContract.RankRequest(ticket: ticket, settings: settings, people: [], limit: 5, now: now, snapshot: true)
            var fromSnapshot = model.rank(request, snapshot: snapshot)
            // The same data in the request; the ticket being ranked is not its own assignee's load.
            request.people = people()
            for ticket in openTickets where ticket.key != key {
                request.openWork[ticket.assignee!, default: []].append(
                    OpenTicket(storyPoints: ticket.storyPoints, priority: ticket.priority, updated: ticket.updated))
            }
            for ticket in openTickets { request.recentEffort[ticket.assignee!, default: 0] += max(0.5, ticket.storyPoints ?? 1) }
            let fromRequest = model.rank(request)
            #expect(fromSnapshot.names?["alice"] == "Alice")
            fromSnapshot.names = nil
            #expect(fromSnapshot == fromRequest)
            // recent: erin never resolved and declares nothing; assignable: alice, bob and carol.
            #expect(fromRequest.candidates.count == ["all": 5, "recent": 4, "assignable": 3][rule])
            #expect(fromRequest.candidates.contains { !$0.reasons.isEmpty })
        }
        // Learning more refreshes what the snapshot ranking knows of its people: erin is new to the model.
        var erinsTicket = Ticket(key: "T-300", project: "T", title: "quantum flux capacitor", created: day(-1))
        erinsTicket.assignee = "erin"
        erinsTicket.resolved = day(-0.5)
        erinsTicket.status = .done
        #expect(model.learn([erinsTicket]) == 1)
        let ticket = Ticket(key: "T-301", project: "T", title: "quantum flux capacitor broken", created: now)
        settings.candidatePool = "all"
        let ranking = model.rank(.init(ticket: ticket, settings: settings, people: [], limit: 5, now: now, snapshot: true), snapshot: snapshot)
        #expect(ranking.candidates.first?.person == "erin")
    }
}
