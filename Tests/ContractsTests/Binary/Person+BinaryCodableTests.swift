import Contracts
import Testing

@Suite struct PersonBinaryCodableTests {
    @Test func person() throws {
        try BinaryCodableCheck.check(Fixtures.person, complete: true)
        try BinaryCodableCheck.check(Fixtures.minimalPerson, complete: false)
    }

    @Test func parts() throws {
        try BinaryCodableCheck.check(Person.DeclaredSkill(skill: "go", level: -3), complete: true)
        try BinaryCodableCheck.check(Person.WorkingHours(), complete: true)
        try BinaryCodableCheck.check(Person.WorkingHours(start: "", end: "", days: []), complete: false)
        try BinaryCodableCheck.check(Person.TimeOff(start: "2026-01-01", end: "2026-01-02", reason: "leave"), complete: true)
        try BinaryCodableCheck.check(Person.TimeOff(start: "", end: ""), complete: false)
    }
}
