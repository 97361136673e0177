import Contracts
import Foundation
import Model
import Testing
@testable import ScoringService

/// Issue 19, item 2: a reassignment away lowers a person's fit for that skill, declared as well as learned.
@Suite struct DeclaredSkillOverrideTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    let kubernetes = [DetectedSkill(name: "kubernetes", weight: 0.9, source: .taxonomy)]

    func rank(_ model: TenantModel) throws -> [String: Double] {
        var ana = Person(id: "ana", displayName: "Ana"), ben = Person(id: "ben", displayName: "Ben")
        ana.declaredSkills = [.init(skill: "kubernetes", level: 5)]
        ben.declaredSkills = [.init(skill: "kubernetes", level: 4)]
        let ticket = Ticket(key: "OPS-900", project: "OPS", title: "Pods stuck in CrashLoopBackOff", created: now)
        let ranking = model.rank(.init(ticket: ticket, settings: ProjectSettings(), people: [ana, ben], limit: 5, now: now,
                                       skillsJSON: Array(try JSONEncoder().encode(kubernetes))))
        return Dictionary(uniqueKeysWithValues: ranking.candidates.map { ($0.person, $0.factors["skillFit"]?.value ?? 0) })
    }

    @Test func anOverrideAwayLowersADeclaredSkill() throws {
        let model = TenantModel()
        let before = try rank(model)
        #expect(before["ana"] == 1 && before["ben"] == 0.8, "\(before)")
        // A Kubernetes ticket (no components: its kind is its detected skill) was taken from ana.
        let taken = Ticket(key: "OPS-5", project: "OPS", title: "Helm chart upgrade fails", created: now.addingTimeInterval(-86_400))
        #expect(model.learnOverrides([.init(ticket: taken, from: "ana", to: "ben", at: now.addingTimeInterval(-3_600))],
                                     skills: ["OPS-5": kubernetes]) == 1)
        let after = try rank(model)
        #expect(after["ana"]! < before["ana"]! && after["ana"]! < after["ben"]!, "\(after)")
        #expect(after["ben"] == 0.8)
    }
}
