import Foundation

/// What a person is good at, learned from the tickets they resolved: skill → strength (0...1).
public struct SkillProfile: Codable, Sendable, Equatable {
    public var person: String
    public var skills: [String: Double]
    public var updated: Date

    public init(person: String, skills: [String: Double], updated: Date = Date()) {
        self.person = person
        self.skills = skills
        self.updated = updated
    }
}
