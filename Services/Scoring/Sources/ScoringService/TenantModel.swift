import Contracts
import Foundation
import ScoringCore
import Synchronization

/// One tenant's learned history, behind a lock; bootstrapped from storage on first use.
final class TenantModel: Sendable {
    private struct State {
        var model = HistoryModel()
        var learnedKeys = Set<String>()
        /// Bumped whenever the model learns, so caches of what it says are refreshed.
        var generation = 0
        /// Each snapshot person's last resolution, for one snapshot version and model generation.
        var lastResolved: (version: String, generation: Int, times: [Date?])?
    }

    private let state = Mutex(State())

    /// Learns the tickets not learned before (resolved and assigned), oldest resolution first.
    @discardableResult
    func learn(_ tickets: [Ticket]) -> Int {
        let fresh = tickets.filter { $0.resolved != nil && $0.assignee != nil }.sorted { $0.resolved! < $1.resolved! }
        return state.withLock { state in
            var count = 0
            for ticket in fresh where state.learnedKeys.insert(ticket.key).inserted {
                state.model.learn(HistoryModel.TicketText(ticket), assignee: ticket.assignee, resolved: ticket.resolved!)
                count += 1
            }
            if count > 0 { state.generation += 1 }
            return count
        }
    }

    /// Learns manual overrides: each lowers the overridden person for that kind of ticket.
    func learnOverrides(_ overrides: [ScoringContract.Override]) {
        guard !overrides.isEmpty else { return }
        state.withLock { state in
            state.generation += 1
            for override in overrides {
                state.model.learnOverride(HistoryModel.TicketText(override.ticket), from: override.from,
                                          at: override.at ?? override.ticket.updated)
            }
        }
    }

    /// Ranks the snapshot's people (those in `restrictTo` when given) with the snapshot's open work
    /// and recent effort; the ranking carries the candidates' display names. Each person's last
    /// resolution is looked up once per snapshot and model change, not once per request.
    func rank(_ request: ScoringContract.RankRequest, snapshot: TenantSnapshot) -> Ranking {
        let now = request.now ?? Date()
        let allowed = request.restrictTo.map(Set.init)
        let openWork = snapshot.openWork(excluding: request.ticket.key)
        let recentEffort = snapshot.recentEffort(since: Date().addingTimeInterval(-TenantSnapshot.effortWindow))
        return state.withLock { state in
            if state.lastResolved?.version != snapshot.version || state.lastResolved?.generation != state.generation {
                state.lastResolved = (snapshot.version, state.generation, snapshot.people.map { state.model.lastResolved($0.id) })
            }
            let lastResolved = state.lastResolved!.times
            return snapshot.people.withUnsafeBufferPointer { people in   // each pool Person is copied once, into its signals
                var pool: [Int] = []
                for index in people.indices
                where (allowed?.contains(people[index].id) ?? true)
                    && Self.inPool(people[index], rule: request.settings.candidatePool, lastResolved: lastResolved[index], now: now) {
                    pool.append(index)
                }
                var ranking = Self.rank(request.ticket, people: people, pool: pool, settings: request.settings, openWork: openWork,
                                        recentEffort: recentEffort, limit: request.limit, now: now, model: state.model)
                let wanted = Set(ranking.candidates.map(\.person))
                ranking.names = Dictionary(pool.lazy.filter { wanted.contains(people[$0].id) }.map { (people[$0].id, people[$0].displayName) },
                                           uniquingKeysWith: { first, _ in first })
                return ranking
            }
        }
    }

    /// Ranks the request's candidates.
    func rank(_ request: ScoringContract.RankRequest) -> Ranking {
        let now = request.now ?? Date()
        return state.withLock { state in
            request.people.withUnsafeBufferPointer { people in
                let pool = people.indices.filter { index in
                    Self.inPool(people[index], rule: request.settings.candidatePool, lastResolved: state.model.lastResolved(people[index].id), now: now)
                }
                return Self.rank(request.ticket, people: people, pool: pool, settings: request.settings, openWork: request.openWork,
                                 recentEffort: request.recentEffort, limit: request.limit, now: now, model: state.model)
            }
        }
    }

    /// The project's pool rule: active people, and the assignable ones, everyone, or (the default)
    /// those who resolved a ticket in the last year or, never having resolved one, declared skills.
    private static func inPool(_ person: borrowing Person, rule: String, lastResolved: Date?, now: Date) -> Bool {
        guard person.active else { return false }
        switch rule {
        case "assignable": return person.assignable
        case "all": return true
        default:
            guard let last = lastResolved else { return !person.declaredSkills.isEmpty }
            return now.timeIntervalSince(last) <= 365 * 86_400
        }
    }

    /// Ranks `people[pool]` (indexes into `people`).
    private static func rank(_ ticket: Ticket, people: UnsafeBufferPointer<Person>, pool: [Int], settings: ProjectSettings,
                             openWork: [String: [OpenTicket]], recentEffort: [String: Double], limit: Int?, now: Date,
                             model: HistoryModel) -> Ranking {
        let signals = model.signals(for: HistoryModel.TicketText(ticket), candidates: pool.map { people[$0].id }, now: now)
        let candidates = zip(pool, signals).map { index, signal -> CandidateSignals in
            let person = people[index]
            return CandidateSignals(person: person, skillFit: signal.skillFit, similarWork: signal.similarWork,
                             recentActivity: signal.recentActivity, matchedSkills: signal.matchedSkills,
                             similarTickets: signal.similarTickets, siblings: signal.siblings,
                             openWork: openWork[person.id] ?? [], recentEffort: recentEffort[person.id] ?? 0)
        }
        return Ranker.rank(ticket: ticket, settings: settings, candidates: candidates, now: now, limit: min(max(limit ?? 10, 1), 100))
    }
}
