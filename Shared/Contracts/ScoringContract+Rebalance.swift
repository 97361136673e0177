import Foundation
import RPC

extension ScoringContract {
    /// Proposes reassignments for a project's open backlog (people away, people over capacity).
    public static let rebalance = Method<RebalanceRequest, RebalanceResponse>(service: service, method: "Rebalance")

    /// Everything the planner needs; the scoring service ranks the tickets that must move.
    public struct RebalanceRequest: Codable, Sendable {
        public var project: String
        public var settings: ProjectSettings
        /// Every person of the tenant (inactive ones too: their tickets must move).
        public var people: [Person]
        /// The project's open tickets.
        public var tickets: [Ticket]
        /// Each person's open tickets in every project.
        public var openWork: [String: [OpenTicket]]
        /// Effort assigned to each person in the last 30 days.
        public var recentEffort: [String: Double]
        public var now: Date?
        /// Only these people may receive work (Jira's assignable users of a synced project, as for
        /// ``RankRequest/restrictTo``); nil for no restriction.
        public var restrictTo: [String]?

        public static let maxTickets = 20_000

        public init(project: String, settings: ProjectSettings, people: [Person], tickets: [Ticket],
                    openWork: [String: [OpenTicket]] = [:], recentEffort: [String: Double] = [:], now: Date? = nil,
                    restrictTo: [String]? = nil) {
            self.project = project
            self.settings = settings
            self.people = people
            self.tickets = tickets
            self.openWork = openWork
            self.recentEffort = recentEffort
            self.now = now
            self.restrictTo = restrictTo
        }

        /// The first problem, naming its field; nil when valid.
        public var validationError: String? {
            if project.isEmpty { return "project: required" }
            if tickets.count > Self.maxTickets { return "tickets: at most \(Self.maxTickets)" }
            if let other = tickets.first(where: { $0.project != project }) { return "tickets: \(other.key) is not in project \(project)" }
            return settings.validationErrors().first
        }
    }

    /// One proposed reassignment.
    public typealias RebalanceMove = RebalancePlan.Move
    /// Work that should move but cannot: a ticket, or (`ticket` nil) a person who stays over capacity.
    public typealias RebalanceUnresolved = RebalancePlan.Unresolved
    /// The plan: the planner's own value, sent as it is.
    public typealias RebalanceResponse = RebalancePlan
}
