/// A skill a ticket needs, with how sure the detector is and why.
public struct DetectedSkill: Codable, Sendable, Equatable, Hashable {
    /// Where a skill came from.
    public enum Source: String, Codable, Sendable {
        case taxonomy, learned, model, declared
    }

    /// The skill id (taxonomy id, or a learned component/label skill).
    public var name: String
    /// 0...1.
    public var weight: Double
    public var source: Source
    /// The words that matched.
    public var evidence: [String]

    public init(name: String, weight: Double, source: Source, evidence: [String] = []) {
        self.name = name
        self.weight = weight
        self.source = source
        self.evidence = evidence
    }
}
