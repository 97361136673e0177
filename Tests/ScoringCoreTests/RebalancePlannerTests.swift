import Foundation
import Model
import Testing
@testable import ScoringCore

@Suite struct RebalancePlannerTests {
    let now = ISO8601.parse("2026-11-30T10:00:00Z")!   // a Monday

    func person(_ id: String, capacity: Double = 10, timeOff: [Person.TimeOff] = [], active: Bool = true, optedOut: Bool = false) -> Person {
        Person(id: id, displayName: id.capitalized, timeZone: "UTC", weeklyCapacity: capacity, timeOff: timeOff, active: active, optedOut: optedOut)
    }

    func ticket(_ key: String, _ assignee: String?, points: Double = 2, status: Ticket.Status = .todo, priority: String = "Medium") -> Ticket {
        Ticket(key: key, project: "ENG", title: key, priority: priority, storyPoints: points, status: status, assignee: assignee,
               created: now, updated: now)
    }

    /// Open work per person from `tickets`.
    func work(_ tickets: [Ticket]) -> [String: [OpenTicket]] {
        var result: [String: [OpenTicket]] = [:]
        for ticket in tickets where ticket.status != .done {
            if let assignee = ticket.assignee {
                result[assignee, default: []].append(OpenTicket(storyPoints: ticket.storyPoints, priority: ticket.priority, updated: ticket.updated))
            }
        }
        return result
    }

    /// The same ranking for every ticket.
    func ranking(_ ids: String...) -> (Ticket) -> [RebalanceCandidate] {
        { _ in ids.enumerated().map { RebalanceCandidate(person: $0.element, score: 0.9 - Double($0.offset) * 0.1) } }
    }

    let leave = Person.TimeOff(start: "2026-11-28", end: "2026-12-20", reason: "parental leave")

    @Test func workOfSomeoneOnLeaveMovesToTheBestRankedAvailablePersonWithRoom() async {
        let people = [person("alice", timeOff: [leave]), person("bob", capacity: 4), person("carol"), person("dan")]
        let tickets = [ticket("ENG-1", "alice", points: 3), ticket("ENG-2", "alice", points: 3, status: .inProgress),
                       ticket("ENG-3", "bob", points: 2), ticket("ENG-4", "carol", points: 1, status: .done)]
        let plan = await RebalancePlanner.plan(tickets: tickets, people: people, openWork: work(tickets), staleDays: 30, now: now,
                                         candidates: ranking("alice", "bob", "carol", "dan"))
        // Bob ranks first but has room for neither (2 of 4 points open): Carol takes the first, then the second.
        #expect(plan.moves.map(\.ticket) == ["ENG-1", "ENG-2"])
        #expect(plan.moves.map(\.to) == ["carol", "carol"])
        #expect(plan.moves.allSatisfy { $0.from == "alice" })
        #expect(plan.moves[0].reasons[0] == "Alice is away until 2026-12-20")
        #expect(plan.moves[0].reasons[2] == "Carol will have 3 of 10 points of open work")
        #expect(plan.moves[1].reasons[2] == "Carol will have 6 of 10 points of open work")
        #expect(plan.unresolved.isEmpty)
    }

    @Test func nobodyOnLeaveInactiveOrOptedOutReceivesWork() async {
        let people = [person("alice", timeOff: [leave]), person("bob", timeOff: [.init(start: "2026-12-01", end: "2026-12-31")]),
                      person("carol", active: false), person("dan", optedOut: true), person("erin")]
        let tickets = [ticket("ENG-1", "alice"), ticket("ENG-2", "carol")]
        let plan = await RebalancePlanner.plan(tickets: tickets, people: people, openWork: work(tickets), staleDays: 30, now: now,
                                         candidates: ranking("bob", "carol", "dan", "alice", "erin"))
        #expect(plan.moves.map(\.to) == ["erin", "erin"])
        #expect(plan.moves.first { $0.ticket == "ENG-2" }?.reasons.first == "Carol is inactive")
    }

    @Test func whenNobodyHasRoomTheTicketIsReportedNotForcedOnSomeone() async {
        let people = [person("alice", timeOff: [leave]), person("bob", capacity: 2)]
        let tickets = [ticket("ENG-1", "alice", points: 3), ticket("ENG-2", "bob", points: 1)]
        let plan = await RebalancePlanner.plan(tickets: tickets, people: people, openWork: work(tickets), staleDays: 30, now: now,
                                         candidates: ranking("bob"))
        #expect(plan.moves.isEmpty)
        #expect(plan.unresolved == [.init(ticket: "ENG-1", from: "alice", reason: "Alice is away until 2026-12-20; nobody available has room for it")])
    }

    @Test func overloadShedsTheFewestUnstartedTicketsLargestFirst() async {
        // Alice: 5 + 3 + 1 + 1 open (in progress 4 more) against 10: 4 over; moving the 5 suffices.
        let people = [person("alice"), person("bob"), person("carol", capacity: 3)]
        let tickets = [ticket("ENG-1", "alice", points: 1), ticket("ENG-2", "alice", points: 5), ticket("ENG-3", "alice", points: 3),
                       ticket("ENG-4", "alice", points: 1), ticket("ENG-5", "alice", points: 4, status: .inProgress)]
        let plan = await RebalancePlanner.plan(tickets: tickets, people: people, openWork: work(tickets), staleDays: 30, now: now,
                                         candidates: ranking("carol", "bob"))
        #expect(plan.moves.count == 1)
        #expect(plan.moves.first?.ticket == "ENG-2")
        #expect(plan.moves.first?.to == "bob", "carol ranks first but 5 points do not fit her capacity of 3")
        #expect(plan.moves.first?.reasons.first == "Alice has 14 of 10 points of open work (over capacity)")
        #expect(plan.unresolved.isEmpty)
    }

    @Test func aBalancedTeamGetsAnEmptyPlan() async {
        let people = [person("alice"), person("bob")]
        let tickets = [ticket("ENG-1", "alice", points: 5), ticket("ENG-2", "bob", points: 5), ticket("ENG-3", nil, points: 8)]
        var asked = 0
        let plan = await RebalancePlanner.plan(tickets: tickets, people: people, openWork: work(tickets), staleDays: 30, now: now) { _ in
            asked += 1
            return []
        }
        #expect(plan == RebalancePlan())
        #expect(asked == 0, "tickets that stay are not even ranked")
    }

    @Test func overloadThatCannotBeRelievedIsReported() async {
        let people = [person("alice", capacity: 2), person("bob", capacity: 1)]
        let tickets = [ticket("ENG-1", "alice", points: 3, status: .inProgress), ticket("ENG-2", "alice", points: 2)]
        let plan = await RebalancePlanner.plan(tickets: tickets, people: people, openWork: work(tickets), staleDays: 30, now: now,
                                         candidates: ranking("bob"))
        #expect(plan.moves.isEmpty)
        #expect(plan.unresolved.count == 1)
        #expect(plan.unresolved.first?.ticket == nil)
        #expect(plan.unresolved.first?.reason.hasPrefix("Alice stays over capacity (5 of 2 points)") == true)
    }

    @Test func urgentTicketsAreServedFirstWhenRoomIsScarce() async {
        let people = [person("alice", timeOff: [leave]), person("bob", capacity: 5)]
        // Both weigh 3 (Highest counts 1.5x): room for one, and the urgent one gets it though its key sorts later.
        let tickets = [ticket("ENG-1", "alice", points: 3, priority: "Medium"), ticket("ENG-2", "alice", points: 2, priority: "Highest")]
        let plan = await RebalancePlanner.plan(tickets: tickets, people: people, openWork: work(tickets), staleDays: 30, now: now,
                                         candidates: ranking("bob"))
        #expect(plan.moves.map(\.ticket) == ["ENG-2"])
        #expect(plan.unresolved.map(\.ticket) == ["ENG-1"])
    }
}
