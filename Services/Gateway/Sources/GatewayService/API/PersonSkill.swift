import Contracts
import Foundation

/// One skill of a person's profile (`GET /api/v1/people/{id}/skills`): what they declared, merged with what scoring
/// learned from the tickets they resolved.
struct PersonSkill: Encodable, Equatable {
    let skill: String
    /// 1...5: the declared level, or else the learned proficiency mapped to 1...5 (`⌈5·learned⌉`).
    let level: Int
    /// 0...1: the larger of `declared / 5` and `learned`.
    let proficiency: Double
    let declared: Int?
    /// 0...1 (``ScoringContract/ProfileSkill/learned``).
    let learned: Double
    /// Resolved tickets that needed the skill.
    let evidence: Int
    let lastUsed: Date?

    init(skill: String, declared: Int?, learned: ScoringContract.ProfileSkill?) {
        self.skill = skill
        self.declared = declared
        self.learned = learned?.learned ?? 0
        self.evidence = learned?.evidence ?? 0
        self.lastUsed = learned?.lastUsed
        self.proficiency = max(Double(declared ?? 0) / 5, self.learned)
        self.level = declared ?? min(5, max(1, Int((5 * self.learned).rounded(.up))))
    }

    /// The declared skills and the learned ones with evidence, merged, by proficiency (highest first), then by skill.
    static func merge(declared: [Person.DeclaredSkill], learned: [ScoringContract.ProfileSkill]) -> [PersonSkill] {
        var levels: [String: Int] = [:]
        for item in declared { levels[item.skill] = max(levels[item.skill] ?? 0, item.level) }
        let byName = Dictionary(learned.filter { $0.evidence > 0 }.map { ($0.skill, $0) }, uniquingKeysWith: { first, _ in first })
        return Set(levels.keys).union(byName.keys)
            .map { PersonSkill(skill: $0, declared: levels[$0], learned: byName[$0]) }
            .sorted { $0.proficiency != $1.proficiency ? $0.proficiency > $1.proficiency : $0.skill < $1.skill }
    }

    private enum CodingKeys: String, CodingKey {
        case skill, level, proficiency, declared, learned, evidence, lastUsed
    }

    /// Writes `declared` and `lastUsed` as null when absent.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(skill, forKey: .skill)
        try container.encode(level, forKey: .level)
        try container.encode(proficiency, forKey: .proficiency)
        try container.encode(declared, forKey: .declared)
        try container.encode(learned, forKey: .learned)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(lastUsed, forKey: .lastUsed)
    }
}
