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

    /// Name prefixes of the skills a tenant's learned vocabulary predicts: `component:<name>`, `label:<name>`.
    public static let componentPrefix = "component:"
    public static let labelPrefix = "label:"

    /// Whether the skill names a component or label (`component:net`), as the learned vocabulary predicts them.
    public var isComponentOrLabel: Bool { name.hasPrefix(Self.componentPrefix) || name.hasPrefix(Self.labelPrefix) }

    public init(name: String, weight: Double, source: Source, evidence: [String] = []) {
        self.name = name
        self.weight = weight
        self.source = source
        self.evidence = evidence
    }
}
