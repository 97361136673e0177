import Foundation
import RPC

/// `scoring.v1`: ranks candidates with explanations, and learns from resolved tickets.
public enum ScoringContract {
    static let service = "scoring.v1"

    public static let rank = MethodDescriptor<RankRequest, Ranking>(service: service, method: "Rank")
    public static let learn = MethodDescriptor<LearnRequest, LearnResponse>(service: service, method: "Learn")
    public static let reset = MethodDescriptor<StorageContract.Empty, StorageContract.Empty>(service: service, method: "Reset")

    public struct RankRequest: Codable, Sendable {
        public var ticket: Ticket
        public var settings: ProjectSettings
        /// Active people of the tenant; the project's pool rule picks the candidates among them.
        public var people: [Person]
        /// Each person's open tickets.
        public var openWork: [String: [OpenTicket]]
        /// Effort assigned to each person in the last 30 days.
        public var recentEffort: [String: Double]
        public var limit: Int?
        public var now: Date?

        public init(ticket: Ticket, settings: ProjectSettings, people: [Person], openWork: [String: [OpenTicket]] = [:],
                    recentEffort: [String: Double] = [:], limit: Int? = nil, now: Date? = nil) {
            self.ticket = ticket
            self.settings = settings
            self.people = people
            self.openWork = openWork
            self.recentEffort = recentEffort
            self.limit = limit
            self.now = now
        }
    }

    /// Resolved tickets to learn from (tickets without an assignee or resolution are ignored).
    public struct LearnRequest: Codable, Sendable {
        public var tickets: [Ticket]
        public init(tickets: [Ticket]) { self.tickets = tickets }
    }

    public struct LearnResponse: Codable, Sendable, Equatable {
        public var learned: Int
        public init(learned: Int) { self.learned = learned }
    }
}
