import Foundation

/// An installation: one team's (or one Jira site's) isolated data.
public struct Tenant: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var jiraSite: String?
    public var jiraCloudID: String?
    public var installedAt: Date

    public init(id: String, name: String, jiraSite: String? = nil, jiraCloudID: String? = nil, installedAt: Date = Date()) {
        self.id = id
        self.name = name
        self.jiraSite = jiraSite
        self.jiraCloudID = jiraCloudID
        self.installedAt = installedAt
    }
}
