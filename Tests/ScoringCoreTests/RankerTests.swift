import Foundation
import Model
import Testing
@testable import ScoringCore

@Suite struct RankerTests {
    let now = ISO8601.parse("2026-11-30T10:00:00Z")!   // a Monday
    let ticket = Ticket(key: "ENG-1", project: "ENG", title: "Fix the payment webhook", priority: "Medium", created: Date())

    func person(_ id: String, timeOff: [Person.TimeOff] = [], optedOut: Bool = false, capacity: Double? = 10) -> Person {
        Person(id: id, displayName: id.capitalized, timeZone: "UTC", weeklyCapacity: capacity, timeOff: timeOff, optedOut: optedOut)
    }

    @Test func expertWithRoomWinsAndEveryFactorIsExplained() {
        let ranking = Ranker.rank(ticket: ticket, settings: ProjectSettings(), candidates: [
            CandidateSignals(person: person("alice"), skillFit: 0.9, similarWork: 0.8, recentActivity: 0.9, matchedSkills: ["payments"], similarTickets: 7),
            CandidateSignals(person: person("bob"), skillFit: 0.2, similarWork: 0.1, recentActivity: 0.9),
        ], now: now)
        #expect(ranking.candidates.map(\.person) == ["alice", "bob"])
        let alice = ranking.candidates[0]
        #expect(Set(alice.factors.keys) == Set(ScoringFactor.allCases.map(\.rawValue)))
        let sum = alice.factors.values.reduce(0) { $0 + $1.contribution }
        #expect(abs(sum - alice.score) < 0.001)
        #expect(alice.reasons.contains("resolved 7 similar tickets"))
        #expect(ranking.candidates[1].reasons.contains { $0.hasPrefix("less similar past work than Alice") })
        #expect(ranking.confidence > 0 && ranking.confidence <= 1)
        #expect(ranking.action == .suggest)   // auto-assign is off by default
    }

    /// Reasons are built piece by piece into one buffer: multi-byte names, skills and units come out as written.
    @Test func reasonsKeepNamesSkillsAndUnitsAsWritten() {
        var zoe = person("zoe")
        zoe.displayName = "Zoë Ångström 🚀"
        var bob = person("bob")
        bob.capacityUnit = "Stündchen"
        let ranking = Ranker.rank(ticket: ticket, settings: ProjectSettings(), candidates: [
            CandidateSignals(person: zoe, skillFit: 0.9, similarWork: 0.8, recentActivity: 0.9, matchedSkills: ["größe", "naïve", "日本", "x"],
                             similarTickets: 1),
            CandidateSignals(person: bob, skillFit: 0.1, similarWork: 0.1, recentActivity: 0.9),
        ], now: now)
        #expect(ranking.candidates.map(\.person) == ["zoe", "bob"])
        #expect(ranking.candidates[0].reasons == ["resolved 1 similar ticket", "has worked with größe, naïve, 日本",
                                                  "0 of 10 \(zoe.capacityUnit) of open work"])
        #expect(ranking.candidates[1].reasons.contains("0 of 10 Stündchen of open work"))
        #expect(ranking.candidates[1].reasons.contains("less skill fit than Zoë Ångström 🚀 (0.10 vs 0.90)"))
        #expect(ranking.candidates[1].reasons.contains("less similar past work than Zoë Ångström 🚀 (0.10 vs 0.80)"))
    }

    @Test func ticketsFiledAlongsideAreAReasonInWords() {
        let ranking = Ranker.rank(ticket: ticket, settings: ProjectSettings(), candidates: [
            CandidateSignals(person: person("erin"), skillFit: 0.8, recentActivity: 0.8, siblings: 0.8),
            CandidateSignals(person: person("bob"), skillFit: 0.3, recentActivity: 0.9, siblings: 0.3),
        ], now: now)
        #expect(ranking.candidates[0].person == "erin")
        #expect(ranking.candidates[0].reasons.contains("resolved tickets filed alongside this one"))
        #expect(!ranking.candidates[1].reasons.contains("resolved tickets filed alongside this one"))   // weak evidence is not a reason
    }

    @Test func overloadedExpertCanLoseToAFreeColleague() {
        let busy = (0..<6).map { _ in OpenTicket(storyPoints: 3, priority: "High", updated: now) }
        let settings = ProjectSettings(weights: ["skillFit": 1, "similarWork": 1, "workload": 2, "availability": 0.5, "fairness": 0.2, "recentActivity": 0.5])
        let ranking = Ranker.rank(ticket: ticket, settings: settings, candidates: [
            CandidateSignals(person: person("alice"), skillFit: 0.8, similarWork: 0.7, recentActivity: 0.9, openWork: busy),
            CandidateSignals(person: person("bob"), skillFit: 0.6, similarWork: 0.6, recentActivity: 0.9),
        ], now: now)
        #expect(ranking.candidates.first?.person == "bob")
        #expect(ranking.candidates.first { $0.person == "alice" }?.factors["workload"]?.value == 0)
    }

    @Test func someoneOnLeaveIsNeverAutoAssigned() {
        let settings = ProjectSettings(autoAssign: true, confidenceThreshold: 0.05)
        let away = person("alice", timeOff: [.init(start: "2026-11-28", end: "2026-12-04")])
        let ranking = Ranker.rank(ticket: ticket, settings: settings, candidates: [
            CandidateSignals(person: away, skillFit: 1, similarWork: 1, recentActivity: 1),
            CandidateSignals(person: person("bob"), skillFit: 0.1, similarWork: 0.1, recentActivity: 0.2),
        ], now: now)
        #expect(ranking.action != .assign || ranking.assignee != "alice")
        #expect(ranking.candidates.first { $0.person == "alice" }?.factors["availability"]?.value == 0)
    }

    @Test func confidentRankingAutoAssignsUnlessOptedOut() {
        let settings = ProjectSettings(autoAssign: true, confidenceThreshold: 0.2)
        let signals = [
            CandidateSignals(person: person("alice"), skillFit: 1, similarWork: 1, recentActivity: 1),
            CandidateSignals(person: person("bob"), skillFit: 0, similarWork: 0, recentActivity: 0.1),
        ]
        let ranking = Ranker.rank(ticket: ticket, settings: settings, candidates: signals, now: now)
        #expect(ranking.action == .assign && ranking.assignee == "alice")
        var optedOut = signals
        optedOut[0].person.optedOut = true
        let suggestion = Ranker.rank(ticket: ticket, settings: settings, candidates: optedOut, now: now)
        #expect(suggestion.action == .suggest && suggestion.assignee == nil)
        #expect(suggestion.note.contains("opted out"))
    }

    @Test func nobodyFitsFallsBackToTheDefaultAssigneeOrLeavesItUnassigned() {
        let away = person("alice", timeOff: [.init(start: "2026-11-01", end: "2026-12-31")])
        let signals = [CandidateSignals(person: away, skillFit: 0.9, similarWork: 0.9, recentActivity: 0.9)]
        let fallback = Ranker.rank(ticket: ticket, settings: ProjectSettings(autoAssign: true, defaultAssignee: "lead"), candidates: signals, now: now)
        #expect(fallback.action == .fallback && fallback.assignee == "lead")
        let none = Ranker.rank(ticket: ticket, settings: ProjectSettings(), candidates: [], now: now)
        #expect(none.action == .unassigned && none.assignee == nil && none.note.contains("unassigned"))
    }

    /// Issue 18: without auto-assign the default assignee is only suggested, never assigned.
    @Test func theDefaultAssigneeIsOnlySuggestedWithAutoAssignOff() {
        let away = person("alice", timeOff: [.init(start: "2026-11-01", end: "2026-12-31")])
        let signals = [CandidateSignals(person: away, skillFit: 0.9, similarWork: 0.9, recentActivity: 0.9)]
        let ranking = Ranker.rank(ticket: ticket, settings: ProjectSettings(autoAssign: false, defaultAssignee: "lead"), candidates: signals, now: now)
        #expect(ranking.action == .suggest)
        #expect(ranking.assignee == nil)
        #expect(ranking.note.contains("only suggested") && ranking.note.contains("lead"), "\(ranking.note)")
        let empty = Ranker.rank(ticket: ticket, settings: ProjectSettings(autoAssign: false, defaultAssignee: "lead"), candidates: [], now: now)
        #expect(empty.action == .suggest && empty.assignee == nil)
        #expect(empty.note.hasPrefix("nobody is in the candidate pool"), "\(empty.note)")
    }

    @Test func urgentTicketsPreferPeopleInsideWorkingHours() {
        let urgent = Ticket(key: "ENG-2", project: "ENG", title: "Outage", priority: "Highest", created: Date())
        var night = person("tokyo")
        night.timeZone = "Asia/Tokyo"   // 19:00 there
        night.workingHours = .init(start: "09:00", end: "17:00")
        var day = person("london")
        day.timeZone = "Europe/London"
        day.workingHours = .init(start: "09:00", end: "17:00")
        let result = Availability.evaluate(night, ticket: urgent, now: now)
        #expect(result.offHours && result.value == 0.5)
        #expect(!Availability.evaluate(day, ticket: urgent, now: now).offHours)
    }

    @Test func staleWorkCountsLess() {
        let fresh = OpenTicket(storyPoints: 4, priority: nil, updated: now)
        let stale = OpenTicket(storyPoints: 4, priority: nil, updated: now.addingTimeInterval(-40 * 86_400))
        #expect(Workload.effort(fresh, now: now, staleDays: 30) == 4)
        #expect(Workload.effort(stale, now: now, staleDays: 30) == 2)
    }

    @Test func ranking500CandidatesStaysCheap() {
        // Not a timing assertion: a sanity check that 500 candidates rank and keep the limit.
        let signals = (0..<500).map { CandidateSignals(person: person("p\($0)"), skillFit: Double($0 % 10) / 10, similarWork: Double($0 % 7) / 7, recentActivity: 0.5) }
        let ranking = Ranker.rank(ticket: ticket, settings: ProjectSettings(), candidates: signals, now: now, limit: 10)
        #expect(ranking.candidates.count == 10)
        #expect(zip(ranking.candidates, ranking.candidates.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    /// `Reasons.fixed2` prints what the formula it replaced printed (two decimals, no minus sign for a value that
    /// rounds to zero, "0.00" for non-finite values).
    @Test func fixed2PrintsTwoDecimals() {
        func reference(_ value: Double) -> String {
            guard value.isFinite else { return "0.00" }
            let hundredths = Int((abs(value) * 100).rounded())
            let fraction = hundredths % 100
            return (value < 0 && hundredths > 0 ? "-" : "") + "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
        }
        let values: [Double] = [0, -0.0, 0.5, 0.004, 0.005, 0.015, 0.1, 0.99, 0.996, 1, 9.999, 12.345, 100, -0.5, -0.001, -3.14159,
                                123_456.789, 1e15, .nan, .infinity, -.infinity]
        for value in values { #expect(Reasons.fixed2(value) == reference(value), "\(value)") }
        #expect(Reasons.fixed2(0.5) == "0.50" && Reasons.fixed2(-3.14159) == "-3.14" && Reasons.fixed2(0.004) == "0.00")
        for step in 0...2_000 {
            let value = Double(step) / 997 - 1
            #expect(Reasons.fixed2(value) == reference(value))
        }
    }
}
