import Contracts
import Foundation
import Observability
import RPC
import Synchronization
import Workflows

/// Syncs every connected tenant with Jira every `jira.syncIntervalSeconds` (0: never), one tenant after
/// the other, in one gateway at a time: each round, and each tenant in it, runs only while this process holds the
/// `jira-sync` lease (``LeasedWork``), so with several pods on one database one of them syncs, and another takes
/// over when its lease runs out (`jira.syncLeaseSeconds`) after that one dies.
final class JiraScheduler: Sendable {
    private let engine: JiraSyncEngine
    private let intervalSeconds: Double
    private let leaseSeconds: Double
    private let logger: Logger
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(engine: JiraSyncEngine, intervalSeconds: Double, leaseSeconds: Double, logger: Logger) {
        self.engine = engine
        self.intervalSeconds = intervalSeconds
        self.leaseSeconds = leaseSeconds
        self.logger = logger
    }

    func start() {
        guard intervalSeconds > 0 else { return }
        let engine = engine
        let interval = intervalSeconds
        let logger = logger
        let lease = LeasedWork(name: "jira-sync", seconds: leaseSeconds, storage: engine.storage)
        task.withLock { current in
            current = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
                    if Task.isCancelled { return }
                    guard await lease.renew() else { continue }
                    let tenants = (try? await JiraRegistry.tenants(storage: engine.storage)) ?? []
                    for tenant in tenants where !Task.isCancelled {
                        guard await lease.renew() else { break }
                        do {
                            _ = try await engine.sync(tenant: tenant)
                        } catch {
                            logger.warning("scheduled jira sync failed", ["error": .string((error as? RPCError)?.message ?? String(describing: type(of: error)))])
                        }
                    }
                }
            }
        }
    }

    func stop() { task.withLock { $0?.cancel() } }
}

extension JiraSyncEngine {
    /// The gateway's RPC methods: `gateway.v1/JiraSync` and `gateway.v1/JiraSyncStatus`.
    func router() -> Router {
        var router = Router()
        router.registerAsync(GatewayContract.jiraSync) { [self] request, context in
            try await sync(tenant: try context.requireTenant(), full: request.full ?? false)
        }
        router.registerBlocking(GatewayContract.jiraSyncStatus) { [self] _, context in
            status(try context.requireTenant())
        }
        return router
    }
}
