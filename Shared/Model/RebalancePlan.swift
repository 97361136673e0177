import Foundation

/// A proposed set of reassignments for one project's open backlog: what the planner (ScoringCore)
/// produces and what `scoring.v1/Rebalance` answers.
public struct RebalancePlan: Codable, Sendable, Equatable {
    /// Move `ticket` from `from` to `to`, for `reasons` (plain words, the cause first).
    public struct Move: Codable, Sendable, Equatable {
        public var ticket: String
        public var from: String
        public var to: String
        public var reasons: [String]

        public init(ticket: String, from: String, to: String, reasons: [String]) {
            self.ticket = ticket
            self.from = from
            self.to = to
            self.reasons = reasons
        }
    }

    /// Work that should move but has nowhere to go, and why: one ticket, or (`ticket` nil) a person
    /// who stays over capacity.
    public struct Unresolved: Codable, Sendable, Equatable {
        public var ticket: String?
        public var from: String
        public var reason: String

        public init(ticket: String?, from: String, reason: String) {
            self.ticket = ticket
            self.from = from
            self.reason = reason
        }
    }

    public var moves: [Move]
    public var unresolved: [Unresolved]

    public init(moves: [Move] = [], unresolved: [Unresolved] = []) {
        self.moves = moves
        self.unresolved = unresolved
    }
}
