/// A project (Jira project key) and its settings.
public struct Project: Codable, Sendable, Equatable {
    public var key: String
    public var name: String
    public var settings: ProjectSettings

    public init(key: String, name: String, settings: ProjectSettings = ProjectSettings()) {
        self.key = key
        self.name = name
        self.settings = settings
    }
}
