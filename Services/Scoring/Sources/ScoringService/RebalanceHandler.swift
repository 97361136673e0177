import Contracts
import Foundation
import RPC
import ScoringCore

/// `scoring.v1/Rebalance`: plans with ``RebalancePlanner``, ranking only the tickets that must move
/// with the tenant's model (the same ranking recommendations use, restricted the same way: only
/// `restrictTo` people, Jira's assignable ones for a synced project, are candidates, so only they
/// can receive work).
enum RebalanceHandler {
    static func handle(_ request: ScoringContract.RebalanceRequest, model: TenantModel) throws -> ScoringContract.RebalanceResponse {
        if let problem = request.validationError { throw RPCError.invalidArgument(problem) }
        let now = request.now ?? Date()
        let active = request.people.filter(\.active)
        return RebalancePlanner.plan(tickets: request.tickets, people: request.people, openWork: request.openWork,
                                         staleDays: request.settings.staleDays, now: now) { ticket in
            let ranking = model.rank(.init(ticket: ticket, settings: request.settings, people: active, openWork: request.openWork,
                                           recentEffort: request.recentEffort, limit: 100, now: now,
                                           restrictTo: request.restrictTo))
            return ranking.candidates.map { RebalanceCandidate(person: $0.person, score: $0.score) }
        }
    }
}
