import Foundation
import Harness
import Model
import Testing
@testable import ScoringCore

/// Pins the model's and the ranker's exact outputs on a fixed set, so speed work cannot change results
/// unnoticed: per shared history, a model learned from its first `learnedCount` resolved tickets (with a
/// few manual overrides), then the next `checkedCount` tickets ranked (explained, limit 20) over everyone
/// learned so far plus an unknown person, with synthetic open work, effort, time off and working hours;
/// each case keeps the ranking (scores, factors, reasons, action, note) and the learned signals of the ranked
/// candidates and of every 15th other candidate with any (rounded to 9 decimals: the summation order of the
/// model is not part of its contract).
///
/// The expected outputs are `Fixtures/pinned-rankings.jsonl`. After an intended change of results,
/// regenerate it with `SCORING_WRITE_PINNED=1 swift test --filter PinnedRankingsTests` and review the diff.
@Suite struct PinnedRankingsTests {
    static let learnedCount = 1_200
    static let checkedCount = 20
    static let fixtureName = "pinned-rankings.jsonl"

    /// One candidate's learned signals, rounded.
    struct PinnedSignals: Codable, Equatable {
        var person: String
        var similarWork: Double
        var skillFit: Double
        var recentActivity: Double
        var similarTickets: Int
        var matchedSkills: [String]
        var siblings: Double
    }

    /// One pinned case: a ticket, its ranking and the signals of some candidates.
    struct Pinned: Codable, Equatable {
        var id: String
        var ranking: Ranking
        var signals: [PinnedSignals]
    }

    static var testsDirectory: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent() }

    @Test func outputsMatchThePinnedSet() async throws {
        // Seconds of CPU, on a thread of its own: not one of the cooperative pool's threads (two on two cores)
        // that every async test of the run needs.
        let actual = try await onBlockingThread { try Self.outputs() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let lines = try actual.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let url = Self.testsDirectory.appendingPathComponent("Fixtures").appendingPathComponent(Self.fixtureName)
        if ProcessInfo.processInfo.environment["SCORING_WRITE_PINNED"] == "1" {
            try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(Pinned.self, from: Data($0.utf8)) }
        #expect(expected.count == actual.count)
        #expect(expected.count == 2 * Self.checkedCount)
        #expect(expected.contains { $0.ranking.candidates.contains { !$0.reasons.isEmpty } })
        #expect(expected.contains { $0.signals.contains { !$0.matchedSkills.isEmpty } })
        var mismatches = 0
        for (want, got) in zip(expected, actual) where want != got {
            mismatches += 1
            if mismatches <= 3 { Issue.record("\(want.id): expected \(want), got \(got)") }
        }
        #expect(mismatches == 0)
    }

    /// The outputs of the fixed set, in a fixed order.
    static func outputs() throws -> [Pinned] {
        var pinned: [Pinned] = []
        for name in ["numpy", "zookeeper"] {
            let records = try HistoryReader.read(path: TestFixtures.history(name).path)
                .compactMap { try? $0.result.get() }.filter { $0.resolved != nil }
                .sorted { ($0.resolved!, $0.key) < ($1.resolved!, $1.key) }
            guard records.count >= learnedCount + checkedCount else { throw CocoaError(.fileReadCorruptFile) }
            let model = HistoryModel()
            var people = Set<String>()
            for record in records.prefix(learnedCount) {
                model.learn(HistoryModel.TicketText(record), assignee: record.assignee, resolved: record.resolved!)
                if let assignee = record.assignee { people.insert(assignee) }
            }
            // A few overrides away from recent resolvers, for their kinds of tickets.
            for record in records.prefix(learnedCount).suffix(40) where record.assignee != nil {
                model.learnOverride(HistoryModel.TicketText(record), from: record.assignee!, at: record.resolved!)
            }
            let pool = people.sorted() + ["nobody-known"]
            let persons = pool.enumerated().map { index, id in person(id, index: index) }
            var settings = ProjectSettings()
            settings.autoAssign = true
            for record in records.dropFirst(learnedCount).prefix(checkedCount) {
                let now = record.created
                let signals = model.signals(for: HistoryModel.TicketText(record), candidates: pool, now: now)
                let ticket = Ticket(key: record.key, project: record.project, title: record.title, description: record.description,
                                    components: record.components, labels: record.labels, priority: record.priority,
                                    storyPoints: record.storyPoints, created: record.created)
                let candidates = zip(persons, signals).enumerated().map { index, pair in
                    CandidateSignals(person: pair.0, skillFit: pair.1.skillFit, similarWork: pair.1.similarWork,
                                     recentActivity: pair.1.recentActivity, matchedSkills: pair.1.matchedSkills,
                                     similarTickets: pair.1.similarTickets, siblings: pair.1.siblings,
                                     openWork: openWork(index: index, now: now), recentEffort: Double(index % 7),
                                     matchedSkillTickets: pair.1.matchedSkillTickets)
                }
                let ranking = Ranker.rank(ticket: ticket, settings: settings, candidates: candidates, now: now, limit: 20)
                let ranked = Set(ranking.candidates.map(\.person))
                let kept = zip(pool, signals).filter { $0.1 != HistoryModel.Signals() }.enumerated()
                    .filter { $0.offset % 15 == 0 || ranked.contains($0.element.0) }.map(\.element).map { id, signal in
                    PinnedSignals(person: id, similarWork: round9(signal.similarWork), skillFit: round9(signal.skillFit),
                                  recentActivity: round9(signal.recentActivity), similarTickets: signal.similarTickets,
                                  matchedSkills: signal.matchedSkills, siblings: round9(signal.siblings))
                }
                pinned.append(Pinned(id: "\(name) \(record.key)", ranking: ranking, signals: kept))
            }
        }
        return pinned
    }

    static func round9(_ value: Double) -> Double { (value * 1e9).rounded() / 1e9 }

    /// A person with some of everything the ranker weighs, varied by `index`.
    static func person(_ id: String, index: Int) -> Person {
        var person = Person(id: id, displayName: "Name \(index)")
        if index % 5 == 1 { person.weeklyCapacity = Double(index % 13 + 2) }
        if index % 11 == 3 { person.optedOut = true }
        if index % 17 == 4 { person.workingHours = Person.WorkingHours(start: "09:00", end: "12:00", days: [1, 2, 3]) }
        if index % 19 == 5 { person.timeOff = [.init(start: "2000-01-01", end: "2099-12-31")] }
        if index % 23 == 6 { person.timeZone = "Europe/Berlin" }
        return person
    }

    static func openWork(index: Int, now: Date) -> [OpenTicket] {
        let priorities: [String?] = ["High", nil, "Low"]
        var work: [OpenTicket] = []
        for item in 0..<(index % 4) {
            let points: Double? = item == 1 ? nil : Double(item + index % 3)
            let age = Double(item * 9 + index % 5) * 86_400
            work.append(OpenTicket(storyPoints: points, priority: priorities[item % 3], updated: now.addingTimeInterval(-age)))
        }
        return work
    }
}
