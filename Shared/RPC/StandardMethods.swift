import Foundation

/// Methods every service answers, registered by ``RPCServer`` itself.
public enum StandardMethods {
    /// Whether the service takes calls: SERVING, or NOT_SERVING while draining.
    public static let health = MethodDescriptor<HealthCheckRequest, HealthCheckResponse>(service: "health.v1", method: "Check")
    /// Version, uptime, instance.
    public static let info = MethodDescriptor<InfoRequest, InfoResponse>(service: "info.v1", method: "Get")
    /// Returns its message; for benchmarks and connectivity checks.
    public static let echo = MethodDescriptor<EchoMessage, EchoMessage>(service: "diagnostics.v1", method: "Echo")
}

/// Asks for the serving status.
public struct HealthCheckRequest: Codable, Sendable {
    public init() {}
}

/// SERVING or NOT_SERVING.
public struct HealthCheckResponse: Codable, Sendable, Equatable {
    /// The serving status names used by gRPC health checking.
    public enum Status: String, Codable, Sendable {
        case serving = "SERVING"
        case notServing = "NOT_SERVING"
    }

    public var status: Status

    public init(status: Status) { self.status = status }
}

/// Asks for the service's identity.
public struct InfoRequest: Codable, Sendable {
    public init() {}
}

/// A service's identity and uptime.
public struct InfoResponse: Codable, Sendable, Equatable {
    public var service: String
    public var version: String
    public var instance: Int
    public var pid: Int32
    public var uptimeSeconds: Double
    /// Service-specific facts safe to show (for example the gateway's URL).
    public var details: [String: String]

    public init(service: String, version: String, instance: Int, pid: Int32, uptimeSeconds: Double, details: [String: String]) {
        self.service = service
        self.version = version
        self.instance = instance
        self.pid = pid
        self.uptimeSeconds = uptimeSeconds
        self.details = details
    }
}

/// A ticket-shaped message for echo benchmarks: the size and shape of real traffic.
public struct EchoMessage: Codable, Sendable, Equatable {
    /// One detected skill.
    public struct Skill: Codable, Sendable, Equatable {
        public var name: String
        public var weight: Double
        public var source: String

        public init(name: String, weight: Double, source: String) {
            self.name = name
            self.weight = weight
            self.source = source
        }
    }

    public var key: String
    public var project: String
    public var title: String
    public var description: String
    public var components: [String]
    public var labels: [String]
    public var priority: String?
    public var storyPoints: Double?
    public var created: Date
    public var skills: [Skill]
    public var attributes: [String: String]

    public init(
        key: String, project: String, title: String, description: String, components: [String], labels: [String],
        priority: String?, storyPoints: Double?, created: Date, skills: [Skill], attributes: [String: String]
    ) {
        self.key = key
        self.project = project
        self.title = title
        self.description = description
        self.components = components
        self.labels = labels
        self.priority = priority
        self.storyPoints = storyPoints
        self.created = created
        self.skills = skills
        self.attributes = attributes
    }

    /// A realistic message of about `descriptionBytes` + 600 bytes.
    public static func sample(descriptionBytes: Int = 1000) -> EchoMessage {
        let words = "the replica fails to rejoin the quorum after a leader election when the snapshot is older than the transaction log "
        var description = ""
        while description.utf8.count < descriptionBytes { description += words }
        description = String(description.prefix(descriptionBytes))
        return EchoMessage(
            key: "ZOOKEEPER-4512", project: "ZOOKEEPER",
            title: "Follower cannot rejoin the ensemble after leader election with stale snapshot",
            description: description,
            components: ["zookeeper-server", "quorum", "persistence"], labels: ["regression", "consensus"],
            priority: "High", storyPoints: 5, created: Date(timeIntervalSince1970: 1_700_000_000),
            skills: [
                Skill(name: "zookeeper", weight: 0.92, source: "taxonomy"),
                Skill(name: "leader-election", weight: 0.81, source: "taxonomy"),
                Skill(name: "snapshots", weight: 0.66, source: "learned"),
                Skill(name: "java", weight: 0.41, source: "taxonomy"),
                Skill(name: "distributed-consensus", weight: 0.37, source: "learned"),
            ],
            attributes: ["reporter-tz": "Europe/Berlin", "channel": "jira", "sprint": "2026-48"]
        )
    }
}
