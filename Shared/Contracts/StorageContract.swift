import Foundation
import RPC

/// `storage.v1`: the only owner of durable state. Every method is scoped to the tenant in the
/// call's metadata; there is no method that reads across tenants.
public enum StorageContract {
    /// What storage answers while its database cannot be reached (PostgreSQL away): at once, not retried, so that
    /// requests fail fast; the gateway says so in its 503.
    public static let databaseUnavailable = RPCError(.unavailable, "the database is unavailable; try again shortly")

    /// A method of this service: only a ``StorageClient`` calls it.
    public typealias Method<Request: Codable & Sendable, Response: Codable & Sendable> = ServiceMethod<StorageContract, Request, Response>

    static let service = "storage.v1"

    // Tenants
    public static let putTenant = Method<PutTenantRequest, Tenant>(service: service, method: "PutTenant")
    public static let getTenant = Method<Empty, Tenant>(service: service, method: "GetTenant")
    public static let purgeTenant = Method<Empty, PurgeTenantResponse>(service: service, method: "PurgeTenant")
    // Projects
    public static let putProject = Method<Project, Project>(service: service, method: "PutProject")
    public static let getProject = Method<KeyRequest, Project>(service: service, method: "GetProject")
    public static let listProjects = Method<Empty, ProjectList>(service: service, method: "ListProjects")
    // People
    public static let putPeople = Method<PutPeopleRequest, PutPeopleResponse>(service: service, method: "PutPeople")
    public static let getPerson = Method<KeyRequest, Person>(service: service, method: "GetPerson")
    public static let listPeople = Method<ListPeopleRequest, PersonPage>(service: service, method: "ListPeople")
    // Tickets
    public static let putTickets = Method<PutTicketsRequest, PutTicketsResponse>(service: service, method: "PutTickets")
    public static let getTicket = Method<KeyRequest, Ticket>(service: service, method: "GetTicket")
    public static let listTickets = Method<ListTicketsRequest, TicketPage>(service: service, method: "ListTickets")
    // Skills and profiles
    public static let putTicketSkills = Method<TicketSkills, Empty>(service: service, method: "PutTicketSkills")
    public static let getTicketSkills = Method<KeyRequest, TicketSkills>(service: service, method: "GetTicketSkills")
    public static let putProfiles = Method<ProfileList, Empty>(service: service, method: "PutProfiles")
    public static let listProfiles = Method<Empty, ProfileList>(service: service, method: "ListProfiles")
    // Decisions (append-only)
    public static let appendDecision = Method<Decision, Decision>(service: service, method: "AppendDecision")
    public static let listDecisions = Method<ListDecisionsRequest, DecisionPage>(service: service, method: "ListDecisions")
    // Roles
    public static let putRole = Method<RoleAssignment, RoleAssignment>(service: service, method: "PutRole")
    public static let deleteRole = Method<RoleKey, Empty>(service: service, method: "DeleteRole")
    public static let listRoles = Method<ListRolesRequest, RoleList>(service: service, method: "ListRoles")
    // Cache with time to live
    public static let cacheGet = Method<CacheKey, CacheValue>(service: service, method: "CacheGet")
    public static let cachePut = Method<CachePutRequest, Empty>(service: service, method: "CachePut")
    // Sync state and tenant settings
    public static let getSyncState = Method<KeyRequest, SyncState>(service: service, method: "GetSyncState")
    public static let putSyncState = Method<SyncState, SyncState>(service: service, method: "PutSyncState")
    public static let getSetting = Method<KeyRequest, Setting>(service: service, method: "GetSetting")
    public static let putSetting = Method<Setting, Empty>(service: service, method: "PutSetting")

    /// No fields.
    public struct Empty: Codable, Sendable, Equatable {
        public init() {}
    }

    /// A key: project key, person id, ticket key, setting name.
    public struct KeyRequest: Codable, Sendable, Equatable {
        public var key: String
        public init(_ key: String) { self.key = key }
    }

    public struct PutTenantRequest: Codable, Sendable, Equatable {
        public var name: String
        public var jiraSite: String?
        public var jiraCloudID: String?
        public init(name: String, jiraSite: String? = nil, jiraCloudID: String? = nil) {
            self.name = name
            self.jiraSite = jiraSite
            self.jiraCloudID = jiraCloudID
        }
    }

    public struct PurgeTenantResponse: Codable, Sendable, Equatable {
        /// Rows deleted across every table.
        public var rowsDeleted: Int
        public init(rowsDeleted: Int) { self.rowsDeleted = rowsDeleted }
    }

    public struct ProjectList: Codable, Sendable, Equatable {
        public var items: [Project]
        public init(items: [Project]) { self.items = items }
    }

    public struct PutPeopleRequest: Codable, Sendable, Equatable {
        public var people: [Person]
        /// Only create people that do not exist yet; leave existing records as they are (imports).
        public var onlyIfMissing: Bool?
        public init(people: [Person], onlyIfMissing: Bool? = nil) {
            self.people = people
            self.onlyIfMissing = onlyIfMissing
        }
    }

    public struct PutPeopleResponse: Codable, Sendable, Equatable {
        public var stored: Int
        public var rejects: [Reject]
        public init(stored: Int, rejects: [Reject]) {
            self.stored = stored
            self.rejects = rejects
        }
    }

    public struct ListPeopleRequest: Codable, Sendable, Equatable {
        public var cursor: String?
        public var limit: Int?
        public var activeOnly: Bool?
        public init(cursor: String? = nil, limit: Int? = nil, activeOnly: Bool? = nil) {
            self.cursor = cursor
            self.limit = limit
            self.activeOnly = activeOnly
        }
    }

    public typealias PersonPage = Page<Person>

    /// Tickets to create or update, idempotent by key.
    public struct PutTicketsRequest: Codable, Sendable, Equatable {
        public var tickets: [Ticket]
        /// Position of each ticket in its source (for example the line number in a JSONL file), echoed in rejects.
        public var positions: [Int]?
        /// Create projects that do not exist yet (imports); otherwise an unknown project is rejected.
        public var createMissingProjects: Bool?
        public init(tickets: [Ticket], positions: [Int]? = nil, createMissingProjects: Bool? = nil) {
            self.tickets = tickets
            self.positions = positions
            self.createMissingProjects = createMissingProjects
        }
    }

    /// A record that was not stored, with its position and the reason naming the field.
    public struct Reject: Codable, Sendable, Equatable {
        public var position: Int
        public var key: String?
        public var reason: String
        public init(position: Int, key: String?, reason: String) {
            self.position = position
            self.key = key
            self.reason = reason
        }
    }

    public struct PutTicketsResponse: Codable, Sendable, Equatable {
        public var created: Int
        public var updated: Int
        public var unchanged: Int
        public var rejects: [Reject]
        public init(created: Int = 0, updated: Int = 0, unchanged: Int = 0, rejects: [Reject] = []) {
            self.created = created
            self.updated = updated
            self.unchanged = unchanged
            self.rejects = rejects
        }
    }

    public struct ListTicketsRequest: Codable, Sendable, Equatable {
        public var project: String?
        public var status: [Ticket.Status]?
        public var assignee: String?
        public var updatedSince: Date?
        public var cursor: String?
        /// 1...1000, default 100.
        public var limit: Int?
        /// The last stored first (default: the first stored first).
        public var newestFirst: Bool?
        public init(project: String? = nil, status: [Ticket.Status]? = nil, assignee: String? = nil,
                    updatedSince: Date? = nil, cursor: String? = nil, limit: Int? = nil, newestFirst: Bool? = nil) {
            self.project = project
            self.status = status
            self.assignee = assignee
            self.updatedSince = updatedSince
            self.cursor = cursor
            self.limit = limit
            self.newestFirst = newestFirst
        }
    }

    public typealias TicketPage = Page<Ticket>

    public struct TicketSkills: Codable, Sendable, Equatable {
        public var ticket: String
        public var skills: [DetectedSkill]
        public var contentHash: String
        public init(ticket: String, skills: [DetectedSkill], contentHash: String) {
            self.ticket = ticket
            self.skills = skills
            self.contentHash = contentHash
        }
    }

    public struct ProfileList: Codable, Sendable, Equatable {
        public var items: [SkillProfile]
        public init(items: [SkillProfile]) { self.items = items }
    }

    public struct ListDecisionsRequest: Codable, Sendable, Equatable {
        public var ticket: String?
        public var project: String?
        public var cursor: String?
        public var limit: Int?
        /// Newest first (the cursor then pages to older decisions); oldest first when nil or false.
        public var newestFirst: Bool?
        /// Only decisions of these modes (all when nil or empty).
        public var modes: [Decision.Mode]?
        /// Only decisions after the one with this id (as a cursor would, for a caller that kept the last id it read).
        public var afterID: Int64?
        /// Only decisions before the one with this id (newest first, for a caller that kept a position; the audit list).
        public var beforeID: Int64?
        /// Only decisions that chose this person or took the ticket from them (`chosen` or `previous`).
        public var person: String?
        /// Only decisions made at or after this time.
        public var since: Date?
        /// Answer every decision with no candidates (the list of who acted and why, without the rankings).
        public var withoutCandidates: Bool?
        public init(ticket: String? = nil, project: String? = nil, cursor: String? = nil, limit: Int? = nil, newestFirst: Bool? = nil,
                    modes: [Decision.Mode]? = nil, afterID: Int64? = nil, beforeID: Int64? = nil, person: String? = nil, since: Date? = nil,
                    withoutCandidates: Bool? = nil) {
            self.afterID = afterID
            self.beforeID = beforeID
            self.person = person
            self.since = since
            self.withoutCandidates = withoutCandidates
            self.ticket = ticket
            self.project = project
            self.cursor = cursor
            self.limit = limit
            self.newestFirst = newestFirst
            self.modes = modes
        }
    }

    public typealias DecisionPage = Page<Decision>

    public struct RoleKey: Codable, Sendable, Equatable {
        public var principal: String
        public var project: String
        public init(principal: String, project: String) {
            self.principal = principal
            self.project = project
        }
    }

    public struct ListRolesRequest: Codable, Sendable, Equatable {
        public var principal: String?
        public var project: String?
        public init(principal: String? = nil, project: String? = nil) {
            self.principal = principal
            self.project = project
        }
    }

    public struct RoleList: Codable, Sendable, Equatable {
        public var items: [RoleAssignment]
        public init(items: [RoleAssignment]) { self.items = items }
    }

    public struct CacheKey: Codable, Sendable, Equatable {
        public var namespace: String
        public var key: String
        public init(namespace: String, key: String) {
            self.namespace = namespace
            self.key = key
        }
    }

    public struct CacheValue: Codable, Sendable, Equatable {
        /// nil when absent or expired.
        public var value: Data?
        public init(value: Data?) { self.value = value }
    }

    public struct CachePutRequest: Codable, Sendable, Equatable {
        public var namespace: String
        public var key: String
        public var value: Data
        public var ttlSeconds: Double
        public init(namespace: String, key: String, value: Data, ttlSeconds: Double) {
            self.namespace = namespace
            self.key = key
            self.value = value
            self.ttlSeconds = ttlSeconds
        }
    }

    /// A named tenant setting (JSON value), for example custom skills or the Jira connection.
    public struct Setting: Codable, Sendable, Equatable {
        public var key: String
        public var value: Data?
        public init(key: String, value: Data?) {
            self.key = key
            self.value = value
        }
    }
}
