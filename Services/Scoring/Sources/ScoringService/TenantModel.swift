import Contracts
import Foundation
import ScoringCore
import Synchronization

/// One tenant's learned history, behind a lock; bootstrapped from storage on first use.
final class TenantModel: Sendable {
    private struct State {
        var model = HistoryModel()
        var learnedKeys = Set<String>()
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
            return count
        }
    }

    /// Learns manual overrides: each lowers the overridden person for that kind of ticket.
    func learnOverrides(_ overrides: [ScoringContract.Override]) {
        guard !overrides.isEmpty else { return }
        state.withLock { state in
            for override in overrides {
                state.model.learnOverride(HistoryModel.TicketText(override.ticket), from: override.from,
                                          at: override.at ?? override.ticket.updated)
            }
        }
    }

    /// Ranks the snapshot's people (those in `restrictTo` when given) with the snapshot's open work
    /// and recent effort; the ranking carries the candidates' display names.
    func rank(_ request: ScoringContract.RankRequest, snapshot: TenantSnapshot) -> Ranking {
        var people = snapshot.people
        if let allowed = request.restrictTo.map(Set.init) { people = people.filter { allowed.contains($0.id) } }
        var resolved = request
        resolved.people = people
        resolved.openWork = snapshot.openWork(excluding: request.ticket.key)
        resolved.recentEffort = snapshot.recentEffort(since: Date().addingTimeInterval(-TenantSnapshot.effortWindow))
        var ranking = rank(resolved)
        let wanted = Set(ranking.candidates.map(\.person) + [ranking.assignee].compactMap { $0 })
        ranking.names = Dictionary(people.lazy.filter { wanted.contains($0.id) }.map { ($0.id, $0.displayName) },
                                   uniquingKeysWith: { first, _ in first })
        return ranking
    }

    /// Ranks the request's candidates.
    func rank(_ request: ScoringContract.RankRequest) -> Ranking {
        let now = request.now ?? Date()
        let ticket = request.ticket
        return state.withLock { state in
            let pool = request.people.filter { person in
                guard person.active else { return false }
                switch request.settings.candidatePool {
                case "assignable": return person.assignable
                case "all": return true
                default:
                    guard let last = state.model.lastResolved(person.id) else { return !person.declaredSkills.isEmpty }
                    return now.timeIntervalSince(last) <= 365 * 86_400
                }
            }
            let signals = state.model.signals(for: HistoryModel.TicketText(ticket), candidates: pool.map(\.id), now: now)
            let candidates = zip(pool, signals).map { person, signal -> CandidateSignals in
                CandidateSignals(person: person, skillFit: signal.skillFit, similarWork: signal.similarWork,
                                        recentActivity: signal.recentActivity, matchedSkills: signal.matchedSkills,
                                        similarTickets: signal.similarTickets,
                                        openWork: request.openWork[person.id] ?? [], recentEffort: request.recentEffort[person.id] ?? 0)
            }
            return Ranker.rank(ticket: ticket, settings: request.settings, candidates: candidates, now: now,
                               limit: min(max(request.limit ?? 10, 1), 100))
        }
    }
}
