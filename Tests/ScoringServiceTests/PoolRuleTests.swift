import Contracts
import Foundation
import Testing
@testable import ScoringService

/// A snapshot's prepared pools (people taken per rule without testing each of them) are exactly the people the pool
/// rule admits one by one, at any time, including the edge of the `recent` rule's year.
@Suite struct PoolRuleTests {
    @Test func preparedPoolsEqualThePoolRuleAppliedToEveryone() {
        let now = Date(timeIntervalSinceReferenceDate: 800_000_000)
        let year = TenantModel.Prepared.year
        var people: [Person] = []
        var lastResolved: [Date?] = []
        // Resolutions around the year's edge (exactly on it, just inside, just outside), ties, and never.
        let offsets: [Double?] = [0, -year, -year + 1, -year - 1, -year, -10, nil, -2 * year, -0.5 * year, nil, -10, -year + 1e-3]
        for (index, offset) in offsets.enumerated() {
            var person = Person(id: "p\(index)", displayName: "P\(index)")
            person.active = index % 5 != 3
            person.assignable = index % 3 == 0
            if index % 4 == 1 { person.declaredSkills = [.init(skill: "storage", level: 2)] }
            people.append(person)
            lastResolved.append(offset.map { now.addingTimeInterval($0) })
        }
        let prepared = TenantModel.Prepared(version: "epoch-1", generation: 0, people: people, modelIndexes: people.indices.map { $0 },
                                            lastResolved: lastResolved)
        var recentSizes = Set<Int>()
        for shift in [-2 * year, -year, -1, 0, 1e-3, 1, 10, 0.5 * year, year - 1, year, year + 1, 3 * year] {
            let at = now.addingTimeInterval(shift)
            for rule in [TenantModel.PoolRule.assignable, .all, .recent] {
                let expected = people.indices.filter { prepared.inPool($0, rule: rule, now: at) }
                #expect(prepared.pool(rule: rule, now: at) == expected, "\(rule) at \(shift)")
                if rule == .recent { recentSizes.insert(expected.count) }
            }
        }
        #expect(recentSizes.count > 3)   // the shifts move people in and out of the recent pool
    }
}
