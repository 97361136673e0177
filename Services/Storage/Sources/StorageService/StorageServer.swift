import Contracts
import Foundation
import Lifecycle
import Observability
import RPC

/// The storage service: serves ``Store`` over `storage.v1`, each call scoped to its tenant.
public enum StorageServer {
    /// The service for `ServiceRunner`: opens (and migrates) the database, sweeps the cache every minute.
    public static func makeService(_ setup: ServiceRunner.Setup) async throws -> ServiceRunner.Service {
        let settings = setup.configuration[StorageSettings.self]
        let commitWindow = Duration.microseconds(settings.commitWindowMicroseconds)
        let store: Store
        if settings.postgresURL.isEmpty {
            let path = setup.configuration.databasePath
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            store = try Store(path: path, logger: setup.logger, commitWindow: commitWindow)
        } else {
            store = try Store(postgres: settings.postgresURL, passwordFile: settings.postgresPasswordFile.isEmpty ? nil : settings.postgresPasswordFile,
                              logger: setup.logger, commitWindow: commitWindow)
        }
        // Readiness follows the database: NOT_SERVING while PostgreSQL does not answer (SQLite always does).
        let reachability = store.engine == .postgres ? DatabaseReachability(store: store, logger: setup.logger) : nil
        let sweeper = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 60_000_000_000)
                if let swept = try? await store.sweepCache(), swept > 0 {
                    setup.logger.debug("cache swept", ["rows": .int(swept)])
                }
            }
        }
        let retention = RetentionJob.start(store: store, days: setup.configuration[StorageSettings.self].decisionRetentionDays, logger: setup.logger)
        return ServiceRunner.Service(
            router: BackupJob.adding(to: router(store), store: store, setup: setup),
            details: ["schema": String(Schema.latestVersion), "engine": store.engine.rawValue],
            onStopping: {
                sweeper.cancel()
                retention?.cancel()
                reachability?.stop()
            },
            isHealthy: { reachability?.isReachable ?? true })
    }

    /// Every `storage.v1` method.
    public static func router(_ store: Store) -> Router {
        typealias S = StorageContract
        var router = Router()
        router.registerAsync(S.putTenant) { request, context in
            try await store.putTenant(try context.requireTenant(), request)
        }
        router.registerAsync(S.getTenant) { _, context in try await store.getTenant(try context.requireTenant()) }
        router.registerAsync(S.purgeTenant) { _, context in
            S.PurgeTenantResponse(rowsDeleted: try await store.purgeTenant(try context.requireTenant()))
        }
        router.registerAsync(S.putProject) { project, context in try await store.putProject(try context.requireTenant(), project) }
        router.registerAsync(S.getProject) { request, context in try await store.getProject(try context.requireTenant(), request.key) }
        router.registerAsync(S.listProjects) { _, context in S.ProjectList(items: try await store.listProjects(try context.requireTenant())) }
        router.registerAsync(S.putPeople) { request, context in try await store.putPeople(try context.requireTenant(), request.people, onlyIfMissing: request.onlyIfMissing ?? false) }
        router.registerAsync(S.erasePerson) { request, context in try await store.erasePerson(try context.requireTenant(), request.id) }
        router.registerAsync(S.getPerson) { request, context in try await store.getPerson(try context.requireTenant(), request.key) }
        router.registerAsync(S.listPeople) { request, context in try await store.listPeople(try context.requireTenant(), request) }
        router.registerAsync(S.putTickets) { request, context in try await store.putTickets(try context.requireTenant(), request) }
        router.registerAsync(S.getTicket) { request, context in try await store.getTicket(try context.requireTenant(), request.key) }
        // Every recommendation's first read: answered on the RPC connection's thread, no hand-over.
        router.registerBlocking(S.getTicketContext) { request, context in try store.ticketContextOnCallingThread(try context.requireTenant(), request) }
        router.registerAsync(S.listTickets) { request, context in try await store.listTickets(try context.requireTenant(), request) }
        router.registerAsync(S.dataVersion) { _, context in try await store.dataVersion(try context.requireTenant()) }
        router.registerAsync(S.changedTickets) { request, context in
            try await store.changedTickets(try context.requireTenant(), since: request.since, limit: request.limit)
        }
        router.registerAsync(S.putTicketSkills) { request, context in
            try await store.putTicketSkills(try context.requireTenant(), request)
            return S.Empty()
        }
        router.registerAsync(S.getTicketSkills) { request, context in try await store.getTicketSkills(try context.requireTenant(), request.key) }
        router.registerAsync(S.putProfiles) { request, context in
            try await store.putProfiles(try context.requireTenant(), request.items)
            return S.Empty()
        }
        router.registerAsync(S.listProfiles) { _, context in S.ProfileList(items: try await store.listProfiles(try context.requireTenant())) }
        router.registerAsync(S.appendDecision) { decision, context in try await store.appendDecision(try context.requireTenant(), decision) }
        router.registerAsync(S.appendDecisionID) { decision, context in
            S.DecisionID(id: try await store.appendDecision(try context.requireTenant(), decision).id)
        }
        router.registerAsync(S.appendDecisionRecord) { record, context in
            S.DecisionID(id: try await store.appendDecision(try context.requireTenant(), record))
        }
        router.registerAsync(S.listDecisions) { request, context in try await store.listDecisions(try context.requireTenant(), request) }
        router.registerAsync(S.appendAudit) { request, context in try await store.appendAudit(try context.requireTenant(), request) }
        router.registerAsync(S.listAudit) { request, context in try await store.listAudit(try context.requireTenant(), request) }
        router.registerAsync(S.putRole) { role, context in try await store.putRole(try context.requireTenant(), role) }
        router.registerAsync(S.deleteRole) { key, context in
            try await store.deleteRole(try context.requireTenant(), key)
            return S.Empty()
        }
        router.registerAsync(S.listRoles) { request, context in S.RoleList(items: try await store.listRoles(try context.requireTenant(), request)) }
        router.registerAsync(S.putToken) { record, context in try await store.putToken(try context.requireTenant(), record) }
        router.registerAsync(S.listTokens) { request, context in S.TokenList(items: try await store.listTokens(try context.requireTenant(), request)) }
        router.registerAsync(S.revokeToken) { request, context in try await store.revokeToken(try context.requireTenant(), request) }
        // Every authenticated request's revocation check: answered on the RPC connection's thread, no hand-over.
        router.registerBlocking(S.tokenState) { request, context in try store.tokenStateOnCallingThread(try context.requireTenant(), request) }
        router.registerAsync(S.cacheGet) { key, context in S.CacheValue(value: try await store.cacheGet(try context.requireTenant(), key)) }
        router.registerAsync(S.cachePut) { request, context in
            try await store.cachePut(try context.requireTenant(), request)
            return S.Empty()
        }
        router.registerAsync(S.getSyncState) { request, context in try await store.getSyncState(try context.requireTenant(), request.key) }
        router.registerAsync(S.putSyncState) { state, context in try await store.putSyncState(try context.requireTenant(), state) }
        router.registerAsync(S.getSetting) { request, context in
            S.Setting(key: request.key, value: try await store.getSetting(try context.requireTenant(), request.key))
        }
        router.registerAsync(S.putSetting) { setting, context in
            try await store.putSetting(try context.requireTenant(), setting)
            return S.Empty()
        }
        // Not scoped to a tenant.
        router.registerAsync(S.acquireLease) { request, _ in try await store.acquireLease(request) }
        router.registerAsync(S.releaseLease) { request, _ in try await store.releaseLease(request) }
        router.registerAsync(S.pruneDecisions) { request, _ in S.PruneDecisionsResponse(deleted: try await store.pruneDecisions(before: request.before)) }
        return router
    }
}
