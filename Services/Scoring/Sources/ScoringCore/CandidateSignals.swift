import Foundation
import Model

/// Everything known about one candidate for one ticket, before weighting.
public struct CandidateSignals: Sendable {
    public var person: Person
    /// Learned factors in 0...1 (from the person's history), with the evidence behind them.
    public var skillFit: Double
    public var similarWork: Double
    public var recentActivity: Double
    /// Skills of the ticket the person has shown (for reasons).
    public var matchedSkills: [String]
    /// How many tickets of each of the first `matchedSkills` the person resolved (same order; may be empty).
    public var matchedSkillTickets: SkillTicketCounts
    /// Similar tickets the person resolved (for reasons).
    public var similarTickets: Int
    /// Evidence in 0...1 that the person resolved tickets filed alongside this one (for reasons).
    public var siblings: Double
    /// The ticket's skills the person declared, with their levels (for reasons).
    public var declaredSkills: [TicketSkills.Match]
    /// The person's open work.
    public var openWork: [OpenTicket]
    /// Effort (story points, 1 when unestimated) of tickets assigned to the person in the last 30 days.
    public var recentEffort: Double

    public init(person: Person, skillFit: Double = 0, similarWork: Double = 0, recentActivity: Double = 0,
                matchedSkills: [String] = [], similarTickets: Int = 0, siblings: Double = 0, openWork: [OpenTicket] = [],
                recentEffort: Double = 0, declaredSkills: [TicketSkills.Match] = [], matchedSkillTickets: SkillTicketCounts = SkillTicketCounts()) {
        self.person = person
        self.skillFit = skillFit
        self.similarWork = similarWork
        self.recentActivity = recentActivity
        self.matchedSkills = matchedSkills
        self.matchedSkillTickets = matchedSkillTickets
        self.similarTickets = similarTickets
        self.siblings = siblings
        self.declaredSkills = declaredSkills
        self.openWork = openWork
        self.recentEffort = recentEffort
    }
}
