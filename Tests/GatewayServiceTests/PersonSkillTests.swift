import Contracts
import Foundation
import Testing
@testable import GatewayService

/// `GET /api/v1/people/{id}/skills` merges declared skills with the learned profile.
@Suite struct PersonSkillTests {
    private let used = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func declaredAndLearnedMergeByProficiency() throws {
        let merged = PersonSkill.merge(
            declared: [.init(skill: "kubernetes", level: 2), .init(skill: "css", level: 4)],
            learned: [.init(skill: "kubernetes", learned: 0.75, evidence: 6, lastUsed: used),
                      .init(skill: "python", learned: 0.3, evidence: 1, lastUsed: used),
                      .init(skill: "java", learned: 0, evidence: 0, lastUsed: nil, overrides: 1)])
        #expect(merged.map(\.skill) == ["css", "kubernetes", "python"], "by proficiency; no evidence and nothing declared: not listed")
        let css = merged[0], kubernetes = merged[1], python = merged[2]
        #expect(css.level == 4 && css.declared == 4 && css.proficiency == 0.8 && css.learned == 0 && css.evidence == 0 && css.lastUsed == nil)
        #expect(kubernetes.level == 2, "the declared level wins the level")
        #expect(kubernetes.proficiency == 0.75 && kubernetes.evidence == 6 && kubernetes.lastUsed == used, "the learned value wins the proficiency")
        #expect(python.level == 2 && python.declared == nil, "⌈5 · 0.3⌉")
        #expect(PersonSkill(skill: "go", declared: nil, learned: .init(skill: "go", learned: 0.01, evidence: 1, lastUsed: used)).level == 1)
        #expect(PersonSkill(skill: "go", declared: nil, learned: .init(skill: "go", learned: 0.99, evidence: 9, lastUsed: used)).level == 5)
    }

    @Test func absentValuesAreWrittenAsNull() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONCoding.encode(PersonSkill(skill: "css", declared: 3, learned: nil))))
            as? [String: Any])
        #expect(json["lastUsed"] is NSNull)
        #expect(json["declared"] as? Int == 3)
        #expect(Set(json.keys) == ["skill", "level", "proficiency", "declared", "learned", "evidence", "lastUsed"])
    }
}
