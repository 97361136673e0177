import Contracts
import Foundation
import RPC
import ScoringCore

/// `scoring.v1/Rebalance`: plans with ``RebalancePlanner``, ranking only the tickets that must move
/// with the tenant's model (the same ranking recommendations use, restricted the same way: only
/// `restrictTo` people, Jira's assignable ones for a synced project, are candidates, so only they
/// can receive work). Each ticket is ranked with its skills as the skills service's local detector finds them (asked
/// once for the assigned open tickets, the only ones that may move), so declared and learned skills count as they do
/// in a recommendation.
enum RebalanceHandler {
    static func handle(_ request: ScoringContract.RebalanceRequest, model: TenantModel, skills: TicketSkillsReader,
                       tenant: String) async throws -> ScoringContract.RebalanceResponse {
        if let problem = request.validationError { throw RPCError.invalidArgument(problem) }
        let now = request.now ?? Date()
        let active = request.people.filter(\.active)
        let movable = request.tickets.filter { $0.status != .done && $0.assignee != nil }
        let detected = await skills.skills(of: movable, tenant: tenant)
        return RebalancePlanner.plan(tickets: request.tickets, people: request.people, openWork: request.openWork,
                                         staleDays: request.settings.staleDays, now: now) { ticket in
            let ranking = model.rank(.init(ticket: ticket, settings: request.settings, people: active, openWork: request.openWork,
                                           recentEffort: request.recentEffort, limit: 100, now: now,
                                           restrictTo: request.restrictTo), detected: detected[ticket.key])
            return ranking.candidates.map { RebalanceCandidate(person: $0.person, score: $0.score) }
        }
    }
}
