import Foundation

/// One skill of a person's learned profile: what the tickets they resolved showed of it, and the overrides away from them
/// on tickets that needed it, decayed to a time (``HistoryModel/profile(of:now:)``).
public struct LearnedSkill: Sendable, Equatable {
    /// As the model knows it: a taxonomy or custom skill id (`kubernetes`), or a component or label (`component:net`).
    public var skill: String
    /// Proficiency, 0...1: ``proficiency(evidence:overrides:)``.
    public var learned: Double
    /// e: each resolved ticket adds the skill's weight in it (1 for its own components and labels), decayed with the
    /// model's skill half-life (365 days).
    public var evidence: Double
    /// How many resolved tickets needed the skill, and when the latest was resolved.
    public var tickets: Int
    public var lastUsed: Date
    /// o: each override away from the person on a ticket that needed the skill adds 1, decayed with the override half-life
    /// (180 days).
    public var overrides: Double

    /// The evidence that gives a proficiency of ½.
    public static let evidenceScale = 3.0
    /// How much one override takes off: the proficiency is divided by `1 + overridePenalty · o`.
    public static let overridePenalty = 0.5

    /// `(1 − 2^(−e/3)) / (1 + 0.5·o)`: three recent tickets that clearly needed the skill give 0.5, six 0.75, and it never
    /// reaches 1; one recent override away takes a third off.
    public static func proficiency(evidence: Double, overrides: Double) -> Double {
        (1 - exp2(-max(0, evidence) / evidenceScale)) / (1 + overridePenalty * max(0, overrides))
    }
}
