import Foundation

/// One entry of the append-only audit log of recommendations and assignments.
public struct Decision: Codable, Sendable, Equatable {
    /// How the assignment came about.
    public enum Mode: String, Codable, Sendable, CaseIterable, ListedCases {
        /// The system recommended; nobody assigned yet.
        case suggested
        /// The system assigned by itself.
        case auto
        /// A person assigned (possibly accepting the recommendation).
        case manual
        /// A person reassigned away from what the system chose or recommended.
        case override
        /// An admin applied (or undid) a rebalance plan.
        case rebalance
    }

    /// Assigned by storage.
    public var id: Int64
    public var ticket: String
    public var project: String
    public var mode: Mode
    public var chosen: String?
    public var previous: String?
    public var candidates: [RankedCandidate]
    /// The principal who acted (`system` for automatic decisions).
    public var actor: String
    public var at: Date
    public var reason: String?

    public init(id: Int64 = 0, ticket: String, project: String, mode: Mode, chosen: String?, previous: String? = nil,
                candidates: [RankedCandidate] = [], actor: String, at: Date = Date(), reason: String? = nil) {
        self.id = id
        self.ticket = ticket
        self.project = project
        self.mode = mode
        self.chosen = chosen
        self.previous = previous
        self.candidates = candidates
        self.actor = actor
        self.at = at
        self.reason = reason
    }
}

/// A candidate's score and its explanation.
public struct RankedCandidate: Codable, Sendable, Equatable {
    /// One factor's part of the score.
    public struct Factor: Codable, Sendable, Equatable {
        public var value: Double
        public var weight: Double
        public var contribution: Double
        public init(value: Double, weight: Double, contribution: Double) {
            self.value = value
            self.weight = weight
            self.contribution = contribution
        }
    }

    public var person: String
    public var score: Double
    public var factors: [String: Factor]
    public var reasons: [String]

    public init(person: String, score: Double, factors: [String: Factor] = [:], reasons: [String] = []) {
        self.person = person
        self.score = score
        self.factors = factors
        self.reasons = reasons
    }
}
