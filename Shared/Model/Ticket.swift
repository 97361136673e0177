import Foundation

/// A ticket as SmartTicket knows it.
public struct Ticket: Codable, Sendable, Equatable {
    /// Status category.
    public enum Status: String, Codable, Sendable, CaseIterable, ListedCases {
        case todo
        case inProgress = "in_progress"
        case done
    }

    public var key: String
    public var project: String
    public var title: String
    public var description: String
    public var components: [String]
    public var labels: [String]
    public var priority: String?
    public var storyPoints: Double?
    public var status: Status
    public var assignee: String?
    public var created: Date
    public var updated: Date
    public var resolved: Date?
    /// Skills this ticket needs at a minimum declared level, besides (or instead of, for the same skill)
    /// its project's.
    public var requiredSkills: [RequiredSkill]?

    public init(key: String, project: String, title: String, description: String = "", components: [String] = [],
                labels: [String] = [], priority: String? = nil, storyPoints: Double? = nil, status: Status = .todo,
                assignee: String? = nil, created: Date, updated: Date? = nil, resolved: Date? = nil, requiredSkills: [RequiredSkill]? = nil) {
        self.requiredSkills = requiredSkills
        self.key = key
        self.project = project
        self.title = title
        self.description = description
        self.components = components
        self.labels = labels
        self.priority = priority
        self.storyPoints = storyPoints
        self.status = status
        self.assignee = assignee
        self.created = created
        self.updated = updated ?? resolved ?? created
        self.resolved = resolved
    }

    /// Whether `key` is a key of `project`, as in Jira: `PROJECT-ID`, the project's own key, a dash and a
    /// non-empty id. A key names its project (project keys have no dash), so a write under one project
    /// can never reach another project's ticket.
    public static func key(_ key: String, belongsTo project: String) -> Bool {
        let key = key.utf8
        let project = project.utf8
        guard !project.isEmpty, key.count > project.count + 1, key.starts(with: project) else { return false }
        return key[key.index(key.startIndex, offsetBy: project.count)] == UInt8(ascii: "-")
    }

    /// The error message for a key that is not `PROJECT-ID` of its project.
    public static func keyMismatch(_ key: String, project: String) -> String {
        "key: must be \(project)-ID (the project's key, a dash and the ticket's id), like \(project)-1"
    }
}
