import Model

/// The skills service's local detection for a replay: the bundled taxonomy (with custom skills when given) and a
/// learned vocabulary that learns each resolved ticket as the replay does, as a tenant's skills service does in
/// production. Not thread-safe beyond what ``LearnedSkills`` guarantees: one replay uses one.
public final class HistorySkillDetector: TicketSkillSource {
    public let detector: SkillDetector
    public let learned: LearnedSkills

    public init(detector: SkillDetector, learned: LearnedSkills = LearnedSkills()) {
        self.detector = detector
        self.learned = learned
    }

    /// With the bundled taxonomy.
    public convenience init() throws {
        self.init(detector: SkillDetector(taxonomy: try SkillTaxonomy.bundled()))
    }

    public func learn(_ record: HistoryRecord) {
        learned.learn(title: record.title, description: record.description, components: record.components, labels: record.labels)
    }

    public func skills(of record: HistoryRecord) -> [DetectedSkill] {
        detector.detect(title: record.title, description: record.description, components: record.components, labels: record.labels,
                        learned: learned)
    }
}
