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

    public init(key: String, project: String, title: String, description: String = "", components: [String] = [],
                labels: [String] = [], priority: String? = nil, storyPoints: Double? = nil, status: Status = .todo,
                assignee: String? = nil, created: Date, updated: Date? = nil, resolved: Date? = nil) {
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
}
