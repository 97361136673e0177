import Foundation

/// Where the last Jira sync of a project stopped.
public struct SyncState: Codable, Sendable, Equatable {
    public var project: String
    public var cursor: String?
    public var lastSync: Date?

    public init(project: String, cursor: String? = nil, lastSync: Date? = nil) {
        self.project = project
        self.cursor = cursor
        self.lastSync = lastSync
    }
}
