import Foundation
import Model
import Posix
import ScoringCore
import SkillsCore

/// In-process scoring figures: ranking 500 candidates for one ticket (learned signals + weighted, explained
/// ranking, as `scoring.v1/Rank` does it), learning one ticket, and the replay of a whole history.
enum ScoringBench {
    static func run(history: String, candidates: Int, queries: Int, report: (BenchResult) -> Void) throws {
        let records = try HistoryReader.read(path: history).compactMap { try? $0.result.get() }
            .filter { $0.resolved != nil }.sorted { $0.resolved! < $1.resolved! }
        guard records.count > 10 else { throw BenchError("\(history): too few resolved tickets") }

        // The history's text, its work spread round-robin over `candidates` people: everyone in the pool has a
        // vocabulary, components and recent work, the costly case.
        let people = (0..<candidates).map { "person-\($0)" }
        let model = HistoryModel()
        var learn = LatencySamples()
        let learnStarted = Monotonic.nanoseconds()
        for (index, record) in records.enumerated() {
            let started = Monotonic.nanoseconds()
            model.learn(HistoryModel.TicketText(record), assignee: people[index % people.count], resolved: record.resolved!)
            learn.add(Double(Monotonic.nanoseconds() - started) / 1_000)
        }
        let learnSeconds = Double(Monotonic.nanoseconds() - learnStarted) / 1e9
        report(BenchResult(name: "scoring.learn", p50_us: learn.percentile(50), p99_us: learn.percentile(99),
                           ops_per_s: Double(records.count) / learnSeconds, note: "\(records.count) tickets"))

        // Rank the pool for tickets of the history's last part, as the service does.
        let persons = people.map { Person(id: $0, displayName: $0) }
        let settings = ProjectSettings()
        let now = records.last!.resolved!
        let sample = records.suffix(min(queries, records.count))
        var rank = LatencySamples()
        var signalsOnly = LatencySamples()
        var checksum = 0
        let rankStarted = Monotonic.nanoseconds()
        for record in sample {
            let started = Monotonic.nanoseconds()
            let signals = model.signals(for: HistoryModel.TicketText(record), candidates: people, now: now)
            let learned = Monotonic.nanoseconds()
            let ticket = Ticket(key: record.key, project: record.project, title: record.title, description: record.description,
                                components: record.components, labels: record.labels, priority: record.priority, created: record.created)
            let candidates = zip(persons, signals).map { person, signal in
                CandidateSignals(person: person, skillFit: signal.skillFit, similarWork: signal.similarWork, recentActivity: signal.recentActivity,
                                 matchedSkills: signal.matchedSkills, similarTickets: signal.similarTickets,
                                 matchedSkillTickets: signal.matchedSkillTickets)
            }
            let ranking = Ranker.rank(ticket: ticket, settings: settings, candidates: candidates, now: now)
            let finished = Monotonic.nanoseconds()
            checksum &+= ranking.candidates.count
            rank.add(Double(finished - started) / 1_000)
            signalsOnly.add(Double(learned - started) / 1_000)
        }
        let rankSeconds = Double(Monotonic.nanoseconds() - rankStarted) / 1e9
        report(BenchResult(name: "scoring.rank\(candidates)", p50_us: rank.percentile(50), p99_us: rank.percentile(99),
                           ops_per_s: Double(sample.count) / rankSeconds, note: "signals + explained ranking, \(sample.count) tickets"))
        report(BenchResult(name: "scoring.rank\(candidates).signals", p50_us: signalsOnly.percentile(50), p99_us: signalsOnly.percentile(99),
                           note: "learned factors only"))
        if checksum == 0 { throw BenchError("nothing was ranked") }

        // The same tickets ranked again (the model unchanged): their queries and nearest past tickets come from the
        // model's query cache, as for a ticket recommended again between two learned tickets.
        let again = Array(sample.suffix(min(200, model.parameters.queryCache)))
        for record in again { _ = model.signals(for: HistoryModel.TicketText(record), candidates: people, now: now) }
        var repeated = LatencySamples()
        for record in again {
            let started = Monotonic.nanoseconds()
            let signals = model.signals(for: HistoryModel.TicketText(record), candidates: people, now: now)
            repeated.add(Double(Monotonic.nanoseconds() - started) / 1_000)
            checksum &+= signals.count
        }
        report(BenchResult(name: "scoring.rank\(candidates).cached", p50_us: repeated.percentile(50), p99_us: repeated.percentile(99),
                           note: "learned factors of a ticket ranked again (query cache), \(again.count) tickets"))

        // The scoring service's request: 50 people of the team for a ticket ranked again (query cache), learned factors
        // and the explained top 10 from the people in place (positions in a list, as from a tenant snapshot).
        let team = Array(persons.prefix(50))
        let teamIndexes = model.personIndexes(team.map(\.id))
        let tickets = again.map { record in
            Ticket(key: record.key, project: record.project, title: record.title, description: record.description,
                   components: record.components, labels: record.labels, priority: record.priority, created: record.created)
        }
        var service = LatencySamples()
        team.withUnsafeBufferPointer { people in
            let pool = Array(people.indices)
            let noWork = [[OpenTicket]](repeating: [], count: pool.count), noEffort = [Double](repeating: 0, count: pool.count)
            for pass in 0..<2 {
                for ticket in tickets {
                    let started = Monotonic.nanoseconds()
                    let signals = model.signals(for: HistoryModel.TicketText(ticket), candidateIndexes: teamIndexes, now: now)
                    var chosen: [Int] = []
                    let ranking = Ranker.rank(ticket: ticket, settings: settings, people: people, pool: pool, signals: signals,
                                              openWork: noWork, recentEffort: noEffort, now: now, limit: 10, chosen: &chosen)
                    if pass == 1 { service.add(Double(Monotonic.nanoseconds() - started) / 1_000) }
                    checksum &+= ranking.candidates.count
                }
            }
        }
        report(BenchResult(name: "scoring.rank50.again", p50_us: service.percentile(50), p99_us: service.percentile(99),
                           note: "50 people, explained top 10 of a ticket ranked again (as the service ranks), \(tickets.count) tickets"))

        // The replay protocol on the real assignees, with the settings of `smart-ticket replay` (fairness off).
        var replaySettings = ProjectSettings()
        replaySettings.weights[ScoringFactor.fairness.rawValue] = 0
        var replay = Replay(settings: replaySettings)
        let detector = SkillDetector(taxonomy: try SkillTaxonomy.bundled())
        replay.skillSource = { HistorySkillDetector(detector: detector) }   // as production detects, like `smart-ticket replay`
        let started = Monotonic.nanoseconds()
        let result = replay.run(records)
        let seconds = Double(Monotonic.nanoseconds() - started) / 1e9
        report(BenchResult(name: "scoring.replay", ops_per_s: Double(records.count) / seconds,
                           note: String(format: "%.2f s for %d tickets, in_pool top1 %.3f top5 %.3f", seconds, records.count,
                                        result.inPool.top1, result.inPool.top5)))
    }
}
