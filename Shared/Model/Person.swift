import Foundation

/// Someone tickets can be assigned to.
public struct Person: Codable, Sendable, Equatable {
    /// A skill the person says they have, 1 (some) to 5 (expert).
    public struct DeclaredSkill: Codable, Sendable, Equatable {
        public var skill: String
        public var level: Int
        public init(skill: String, level: Int) {
            self.skill = skill
            self.level = level
        }
    }

    /// Working hours in the person's time zone, e.g. 09:00-17:00 on days 1...5 (Monday = 1).
    public struct WorkingHours: Codable, Sendable, Equatable {
        public var start: String
        public var end: String
        public var days: [Int]
        public init(start: String = "09:00", end: String = "17:00", days: [Int] = [1, 2, 3, 4, 5]) {
            self.start = start
            self.end = end
            self.days = days
        }
    }

    /// An absence from `start` to `end` inclusive (`YYYY-MM-DD`).
    public struct TimeOff: Codable, Sendable, Equatable {
        public var start: String
        public var end: String
        public var reason: String?
        public init(start: String, end: String, reason: String? = nil) {
            self.start = start
            self.end = end
            self.reason = reason
        }
    }

    /// Stable id: the Jira accountId for people synced from Jira.
    public var id: String
    public var displayName: String
    public var timeZone: String?
    /// Weekly capacity in `capacityUnit`.
    public var weeklyCapacity: Double?
    /// `points` or `hours`.
    public var capacityUnit: String
    public var workingHours: WorkingHours?
    public var timeOff: [TimeOff]
    public var declaredSkills: [DeclaredSkill]
    public var active: Bool
    /// Never auto-assigned; only suggested.
    public var optedOut: Bool
    /// Jira said this person is assignable (people from imports are not marked).
    public var assignable: Bool

    public init(id: String, displayName: String, timeZone: String? = nil, weeklyCapacity: Double? = nil,
                capacityUnit: String = "points", workingHours: WorkingHours? = nil, timeOff: [TimeOff] = [],
                declaredSkills: [DeclaredSkill] = [], active: Bool = true, optedOut: Bool = false, assignable: Bool = false) {
        self.id = id
        self.displayName = displayName
        self.timeZone = timeZone
        self.weeklyCapacity = weeklyCapacity
        self.capacityUnit = capacityUnit
        self.workingHours = workingHours
        self.timeOff = timeOff
        self.declaredSkills = declaredSkills
        self.active = active
        self.optedOut = optedOut
        self.assignable = assignable
    }
}
