import Contracts
import Foundation
import RPC
import ScoringCore

/// `scoring.v1/Rebalance`: plans with ``RebalancePlanner``, ranking only the tickets that must move
/// with the tenant's model (the same ranking recommendations use, restricted the same way: only
/// `restrictTo` people, Jira's assignable ones for a synced project, are candidates, so only they
/// can receive work). Each ticket that must move is ranked with its skills as the skills service's local detector finds
/// them (asked for that ticket only, when the planner ranks it), so declared and learned skills count as they do in a
/// recommendation.
enum RebalanceHandler {
    static func handle(_ request: ScoringContract.RebalanceRequest, model: TenantModel, skills: TicketSkillsReader,
                       tenant: String) async throws -> ScoringContract.RebalanceResponse {
        if let problem = request.validationError { throw RPCError.invalidArgument(problem) }
        let now = request.now ?? Date()
        let active = request.people.filter(\.active)
        return await RebalancePlanner.plan(tickets: request.tickets, people: request.people, openWork: request.openWork,
                                           staleDays: request.settings.staleDays, now: now) { ticket in
            let detected = await skills.skills(of: [ticket], tenant: tenant)[ticket.key]
            let ranking = model.rank(.init(ticket: ticket, settings: request.settings, people: active, openWork: request.openWork,
                                           recentEffort: request.recentEffort, limit: 100, now: now,
                                           restrictTo: request.restrictTo), detected: detected)
            return ranking.candidates.map { RebalanceCandidate(person: $0.person, score: $0.score) }
        }
    }
}
