import Foundation
import RPC

/// `gateway.v1`: operator calls on the gateway's socket (the HTTP API is the gateway's main door).
public enum GatewayContract {
    /// A method of this service: only a ``GatewayClient`` calls it.
    public typealias Method<Request: Codable & Sendable, Response: Codable & Sendable> = ServiceMethod<GatewayContract, Request, Response>

    static let service = "gateway.v1"

    /// Syncs the tenant in the metadata with its Jira site now; answers when done.
    public static let jiraSync = Method<JiraSyncRequest, JiraSyncReport>(service: service, method: "JiraSync")
    /// Where the tenant's running sync is (for progress bars).
    public static let jiraSyncStatus = Method<StorageContract.Empty, JiraSyncProgress>(service: service, method: "JiraSyncStatus")

    public struct JiraSyncRequest: Codable, Sendable, Equatable {
        /// Backfill again from the configured months instead of continuing from the cursor.
        public var full: Bool?
        public init(full: Bool? = nil) { self.full = full }
    }

    /// What a sync did.
    public struct JiraSyncReport: Codable, Sendable, Equatable {
        public var projects: [String] = []
        /// Whether any project was backfilled (no cursor yet, or `full`).
        public var backfill = false
        public var ticketsSeen = 0
        public var created = 0
        public var updated = 0
        public var unchanged = 0
        public var rejected = 0
        /// Assignable people synced.
        public var people = 0
        /// Reassignments from the changelog recorded as overrides.
        public var reassignments = 0
        /// Resolved tickets sent to the scoring model.
        public var learned = 0
        public var jiraRequests = 0
        public var retries = 0
        public var rateLimited = 0
        public var seconds = 0.0
        public init() {}
    }

    public struct JiraSyncProgress: Codable, Sendable, Equatable {
        public var running: Bool
        public var phase: String
        public var project: String?
        public var projectsDone: Int
        public var projectsTotal: Int
        public var ticketsSeen: Int
        public init(running: Bool = false, phase: String = "idle", project: String? = nil, projectsDone: Int = 0, projectsTotal: Int = 0,
                    ticketsSeen: Int = 0) {
            self.running = running
            self.phase = phase
            self.project = project
            self.projectsDone = projectsDone
            self.projectsTotal = projectsTotal
            self.ticketsSeen = ticketsSeen
        }
    }
}
