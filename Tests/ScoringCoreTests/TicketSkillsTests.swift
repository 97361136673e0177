import Foundation
import Model
@testable import ScoringCore
import Testing

/// A ticket's skills matched against what people declared (issue 19).
struct TicketSkillsTests {
    let skills = TicketSkills([
        DetectedSkill(name: "kubernetes", weight: 0.9, source: .taxonomy),
        DetectedSkill(name: "Networking", weight: 0.3, source: .model),
        DetectedSkill(name: "noise", weight: 0, source: .learned),
    ])

    func person(_ declared: [(String, Int)]) -> Person {
        Person(id: "p", displayName: "P", declaredSkills: declared.map { Person.DeclaredSkill(skill: $0.0, level: $0.1) })
    }

    @Test func theFitIsTheWeightedShareOfTheTicketsSkillsAtTheDeclaredLevel() {
        let expert = skills.declaredFit(person([("kubernetes", 5)]))
        #expect(abs(expert.value - 0.9 / 1.2) < 1e-9)
        #expect(expert.matched == [.init(skill: "kubernetes", level: 5)])
        let both = skills.declaredFit(person([("networking", 2), ("kubernetes", 5), ("css", 5)]))
        #expect(abs(both.value - (0.9 + 0.3 * 2 / 5) / 1.2) < 1e-9)
        #expect(both.matched.map(\.skill) == ["kubernetes", "networking"], "the ticket's weightiest skill first")
    }

    @Test func nothingMatchesWithoutSkillsOnEitherSide() {
        #expect(skills.declaredFit(person([("css", 5)])).value == 0)
        #expect(skills.declaredFit(person([("css", 5)])).matched.isEmpty)
        #expect(skills.declaredFit(person([])).value == 0)
        #expect(TicketSkills([]).declaredFit(person([("kubernetes", 5)])).value == 0)
        #expect(skills.declaredFit(person([("noise", 5)])).matched.isEmpty, "a skill of weight 0 is not a skill the ticket needs")
    }

    @Test func levelsOutsideOneToFiveAreClampedAndNamed() {
        #expect(abs(skills.declaredFit(person([("kubernetes", 9)])).value - 0.75) < 1e-9)
        #expect(TicketSkills.levelName(5) == "expert" && TicketSkills.levelName(1) == "novice" && TicketSkills.levelName(3) == "competent" && TicketSkills.levelName(4) == "proficient")
    }
}
