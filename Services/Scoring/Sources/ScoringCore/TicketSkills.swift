import Foundation
import Model

/// The skills a ticket needs, as the skills service detected them (its taxonomy, learned vocabulary or
/// the configured model, which also read the ticket's components and labels), matched against the
/// skills people declared: a person who declared level L of a skill the ticket needs with weight w has
/// `w · L/5` of it. The declared fit is `Σ w·L/5 / Σ w` over the ticket's skills, 0...1.
public struct TicketSkills: Sendable, Equatable {
    /// Weight per skill name (lowercased), each in 0...1.
    public let weights: [String: Double]
    private let total: Double

    public init(_ detected: [DetectedSkill]) {
        var weights: [String: Double] = [:]
        for skill in detected where skill.weight.isFinite && skill.weight > 0 {
            let name = skill.name.lowercased()
            weights[name] = max(weights[name] ?? 0, min(skill.weight, 1))
        }
        self.weights = weights
        total = weights.values.reduce(0, +)
    }

    public var isEmpty: Bool { weights.isEmpty }

    /// A declared skill the ticket needs, with the person's level.
    public struct Match: Sendable, Equatable {
        public var skill: String
        public var level: Int
    }

    /// How much of the ticket's skills `person` declared (0...1), and the declared skills that matched,
    /// the ticket's weightiest first.
    public func declaredFit(_ person: borrowing Person) -> (value: Double, matched: [Match]) {
        guard total > 0, !person.declaredSkills.isEmpty else { return (0, []) }
        var sum = 0.0
        var matched: [(match: Match, weight: Double)] = []
        for declared in person.declaredSkills {
            let name = declared.skill.lowercased()
            guard let weight = weights[name], !matched.contains(where: { $0.match.skill == name }) else { continue }
            let level = min(max(declared.level, 1), 5)
            sum += weight * Double(level) / 5
            matched.append((Match(skill: name, level: level), weight))
        }
        matched.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.match.skill < $1.match.skill }
        return (min(sum / total, 1), matched.map(\.match))
    }

    /// Words for a declared level (as the panel shows them): 1 novice, 2 basic, 3 competent, 4 proficient, 5 expert.
    public static func levelName(_ level: Int) -> String {
        ["novice", "basic", "competent", "proficient", "expert"][min(max(level, 1), 5) - 1]
    }
}
