import Foundation
import RPC

extension ScoringContract {
    /// What a person showed of each skill in the tickets they resolved, and the overrides away from them (their learned
    /// skill profile): what the ranking's skill fit reads.
    public static let profile = Method<ProfileRequest, ProfileResponse>(service: service, method: "Profile")

    public struct ProfileRequest: Codable, Sendable, Equatable {
        public var person: String
        /// The time to decay the evidence to (default: now).
        public var now: Date?
        public init(person: String, now: Date? = nil) {
            self.person = person
            self.now = now
        }
    }

    public struct ProfileResponse: Codable, Sendable, Equatable {
        /// By learned proficiency, highest first, then by skill.
        public var items: [ProfileSkill]
        public init(items: [ProfileSkill]) { self.items = items }
    }

    /// One skill of a person's learned profile.
    public struct ProfileSkill: Codable, Sendable, Equatable {
        public var skill: String
        /// `(1 − 2^(−e/3)) / (1 + 0.5·o)`, 0...1: e the decayed evidence (each resolved ticket that needed the skill adds its
        /// weight, 1 for its own components and labels, half-life 365 days), o the decayed overrides away from the person
        /// on such tickets (half-life 180 days).
        public var learned: Double
        /// How many resolved tickets needed the skill.
        public var evidence: Int
        /// When the latest of them was resolved.
        public var lastUsed: Date?
        /// The decayed count of overrides away from the person on tickets that needed the skill.
        public var overrides: Double
        public init(skill: String, learned: Double, evidence: Int, lastUsed: Date?, overrides: Double = 0) {
            self.skill = skill
            self.learned = learned
            self.evidence = evidence
            self.lastUsed = lastUsed
            self.overrides = overrides
        }
    }
}
