import Foundation
import Model

/// A proposed set of reassignments for one project's open backlog.
public struct RebalancePlan: Sendable, Equatable {
    /// Move `ticket` from `from` to `to`, for `reasons` (plain words, the cause first).
    public struct Move: Sendable, Equatable {
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
    public struct Unresolved: Sendable, Equatable {
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

/// A person the ranking proposes for a ticket, with the ranking's score.
public struct RebalanceCandidate: Sendable, Equatable {
    public var person: String
    public var score: Double

    public init(person: String, score: Double) {
        self.person = person
        self.score = score
    }
}
