import Contracts
import Foundation
import JiraClient
import Observability
import RPC
import Synchronization
import Workflows

/// Keeps a tenant's SmartTicket data in step with its Jira site.
///
/// The first sync of a project backfills: its assignable people, every open ticket, and the tickets
/// resolved in the last `backfillMonths` (to learn from). Later syncs ask only for issues with
/// `updated >=` the project's cursor (kept in storage's sync state, moved after every page, so an
/// interrupted sync resumes). Tickets are upserted (idempotent), reassignments in the changelog are
/// recorded once as overrides, and newly resolved tickets are sent to the scoring model once.
public final class JiraSyncEngine: Sendable {
    public struct Settings: Sendable {
        public var backfillMonths: Int
        public var retryBaseSeconds: Double
        public init(backfillMonths: Int = 6, retryBaseSeconds: Double = 1.0) {
            self.backfillMonths = backfillMonths
            self.retryBaseSeconds = retryBaseSeconds
        }
    }

    let storage: StorageClient
    let scoring: ScoringClient
    /// Scoring and skills (every instance of each), told about newly resolved tickets.
    let learning: TenantLearning
    let settings: Settings
    let logger: Logger
    /// Counts syncs by result.
    let metrics: GatewayMetrics
    private let progress = Mutex<[String: GatewayContract.JiraSyncProgress]>([:])
    /// Told about the open, unassigned tickets an incremental sync sees for the first time (set by the gateway:
    /// in a project that assigns automatically they get their recommendation as they arrive).
    private let arrivalHandler = Mutex<(@Sendable ([Ticket], Metadata) async -> Void)?>(nil)

    /// Sets what happens to tickets an incremental sync sees arrive.
    func onArrival(_ handler: @escaping @Sendable ([Ticket], Metadata) async -> Void) {
        arrivalHandler.withLock { $0 = handler }
    }

    /// Hands the tickets that arrived to the arrival handler, if any.
    func arrived(_ tickets: [Ticket], metadata: Metadata) async {
        guard !tickets.isEmpty, let handler = arrivalHandler.withLock({ $0 }) else { return }
        await handler(tickets, metadata)
    }

    init(storage: StorageClient, scoring: ScoringClient, skills: SkillsClient? = nil, metrics: GatewayMetrics = GatewayMetrics(),
         settings: Settings, logger: Logger) {
        self.metrics = metrics
        self.storage = storage
        self.scoring = scoring
        self.learning = TenantLearning(scoring: scoring, skills: skills)
        self.settings = settings
        self.logger = logger.with(["component": .string("jira-sync")])
    }

    /// The tenant's connection, or FAILED_PRECONDITION when it has none.
    func connection(_ tenant: String) async throws -> JiraConnection {
        guard let connection = try await JiraRegistry.connection(tenant: tenant, storage: storage) else {
            throw RPCError(.failedPrecondition, "tenant has no Jira connection; run `smart-ticket jira connect` first")
        }
        return connection
    }

    /// A client for the connection (the token is read now).
    func client(_ connection: JiraConnection) throws -> JiraClient {
        do {
            return JiraClient(site: try connection.siteURL(), credentials: try connection.credentials(),
                              policy: RetryPolicy(baseDelay: settings.retryBaseSeconds), logger: logger)
        } catch let error as JiraError {
            throw RPCError(.failedPrecondition, error.message)
        }
    }

    /// Where the tenant's sync is.
    func status(_ tenant: String) -> GatewayContract.JiraSyncProgress {
        progress.withLock { $0[tenant] } ?? GatewayContract.JiraSyncProgress()
    }

    /// Runs one sync of `tenant` (one at a time per tenant: a second caller gets ABORTED).
    public func sync(tenant: String, full: Bool = false) async throws -> GatewayContract.JiraSyncReport {
        let started = progress.withLock { all -> Bool in
            if all[tenant]?.running == true { return false }
            all[tenant] = GatewayContract.JiraSyncProgress(running: true, phase: "connecting")
            return true
        }
        guard started else { throw RPCError(.aborted, "a Jira sync of this tenant is already running") }
        defer { progress.withLock { $0[tenant]?.running = false; $0[tenant]?.phase = "idle" } }
        let clock = ContinuousClock.now
        let connection = try await connection(tenant)
        let client = try client(connection)
        let metadata = Metadata(tenant: tenant, principal: "jira-sync")
        var report = GatewayContract.JiraSyncReport()
        report.projects = connection.projects
        setProgress(tenant) { $0.projectsTotal = connection.projects.count }
        do {
            let jiraProjects = try await client.projects(keys: connection.projects)
            let assignable = try await syncPeople(connection, client: client, metadata: metadata, tenant: tenant)
            report.people = assignable.values.reduce(into: Set<String>()) { $0.formUnion($1) }.count
            for key in connection.projects {
                let name = jiraProjects.first { $0.key == key }?.name ?? key
                try await syncProject(key, name: name, full: full, connection: connection, client: client, metadata: metadata,
                                      tenant: tenant, report: &report)
                setProgress(tenant) { $0.projectsDone += 1 }
            }
        } catch let error as JiraError {
            logger.warning("jira sync failed", ["status": .int(error.status), "call": .string(error.call)])
            metrics.synced(ok: false)
            throw RPCError(.unavailable, error.description)
        } catch {
            metrics.synced(ok: false)
            throw error
        }
        metrics.synced(ok: true)
        let stats = client.stats
        report.jiraRequests = stats.requests
        report.retries = stats.retries
        report.rateLimited = stats.rateLimited
        let elapsed = ContinuousClock.now - clock
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        logger.info("jira sync done", ["projects": .int(report.projects.count), "tickets": .int(report.ticketsSeen),
                                       "created": .int(report.created), "updated": .int(report.updated),
                                       "reassignments": .int(report.reassignments), "requests": .int(report.jiraRequests),
                                       "retries": .int(report.retries), "seconds": .double(report.seconds)])
        return report
    }

    func setProgress(_ tenant: String, _ change: (inout GatewayContract.JiraSyncProgress) -> Void) {
        progress.withLock { all in
            var current = all[tenant] ?? GatewayContract.JiraSyncProgress()
            change(&current)
            all[tenant] = current
        }
    }

    /// Syncs the assignable people of every project: new people are created with their accountId as id,
    /// known ones keep what SmartTicket added (capacity, skills, time off) and get Jira's name and state.
    /// Each project's assignable accountIds are kept in the setting `jira.assignable.KEY`.
    func syncPeople(_ connection: JiraConnection, client: JiraClient, metadata: Metadata, tenant: String) async throws -> [String: Set<String>] {
        setProgress(tenant) { $0.phase = "people" }
        var byProject: [String: Set<String>] = [:]
        var users: [String: JiraUser] = [:]
        for key in connection.projects {
            let list = try await client.assignableUsers(project: key)
            byProject[key] = Set(list.map(\.accountId))
            for user in list { users[user.accountId] = user }
        }
        var existing: [String: Person] = [:]
        var cursor: String?
        repeat {
            let page = try await storage.call(StorageContract.listPeople, .init(cursor: cursor, limit: 1000), metadata: metadata)
            for person in page.items { existing[person.id] = person }
            cursor = page.next
        } while cursor != nil
        var changed: [Person] = []
        for user in users.values.sorted(by: { $0.accountId < $1.accountId }) {
            var person = existing[user.accountId] ?? user.person
            person.displayName = String(user.displayName.prefix(255))
            person.active = user.active
            person.assignable = true
            if person.timeZone == nil { person.timeZone = user.timeZone }
            if person != existing[user.accountId] { changed.append(person) }
        }
        for var person in existing.values where person.assignable && users[person.id] == nil {
            person.assignable = false   // no longer assignable in any synced project
            changed.append(person)
        }
        for chunk in stride(from: 0, to: changed.count, by: 1000) {
            _ = try await storage.call(StorageContract.putPeople, .init(people: Array(changed[chunk..<min(changed.count, chunk + 1000)])),
                                       metadata: metadata)
        }
        for (key, ids) in byProject {
            _ = try await storage.call(StorageContract.putSetting, .init(key: JiraSyncEngine.assignableKey(key),
                                                                         value: try JSONEncoder().encode(ids.sorted())), metadata: metadata)
        }
        return byProject
    }

    /// The setting holding a project's assignable accountIds.
    static func assignableKey(_ project: String) -> String { assignablePrefix + project }

    /// What ``assignableKey(_:)`` puts before the project key.
    static let assignablePrefix = "jira.assignable."
}
