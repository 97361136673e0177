import Foundation

/// A person the ranking proposes for a ticket, with the ranking's score.
public struct RebalanceCandidate: Sendable, Equatable {
    public var person: String
    public var score: Double

    public init(person: String, score: Double) {
        self.person = person
        self.score = score
    }
}
