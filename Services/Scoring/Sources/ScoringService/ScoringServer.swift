import Contracts
import Foundation
import Lifecycle
import RPC
import Synchronization

/// The scoring service: ranks candidates with explanations; learns per tenant from resolved tickets.
public enum ScoringServer {
    /// The service for `ServiceRunner`.
    public static func makeService(_ setup: ServiceRunner.Setup) async throws -> ServiceRunner.Service {
        let configuration = setup.configuration
        let storage = RPCClient(service: "storage", socketPaths: RunDirectory(path: configuration.runDir).sockets(.storage, count: 1),
                                defaultTimeout: 120)
        let models = TenantModels(storage: storage)
        var router = Router()
        router.register(ScoringContract.rank) { request, context in
            let model = try await models.model(for: try context.requireTenant())
            return model.rank(request)
        }
        router.register(ScoringContract.learn) { request, context in
            let model = try await models.model(for: try context.requireTenant())
            return ScoringContract.LearnResponse(learned: model.learn(request.tickets))
        }
        router.register(ScoringContract.rebalance) { request, context in try RebalanceHandler.handle(request, model: try await models.model(for: try context.requireTenant())) }
        router.register(ScoringContract.reset) { _, context in
            models.drop(try context.requireTenant())
            return StorageContract.Empty()
        }
        return ServiceRunner.Service(router: router)
    }
}

/// Every tenant's model, each loaded once from storage's resolved tickets.
final class TenantModels: Sendable {
    private let storage: RPCClient
    private let models = Mutex<[String: Task<TenantModel, any Error>]>([:])

    init(storage: RPCClient) { self.storage = storage }

    func model(for tenant: String) async throws -> TenantModel {
        let task = models.withLock { models -> Task<TenantModel, any Error> in
            if let existing = models[tenant] { return existing }
            let storage = self.storage
            let task = Task { try await TenantModels.bootstrap(tenant: tenant, storage: storage) }
            models[tenant] = task
            return task
        }
        do {
            return try await task.value
        } catch {
            _ = models.withLock { $0.removeValue(forKey: tenant) }   // try again next time
            throw error
        }
    }

    func drop(_ tenant: String) {
        _ = models.withLock { $0.removeValue(forKey: tenant) }
    }

    private static func bootstrap(tenant: String, storage: RPCClient) async throws -> TenantModel {
        let model = TenantModel()
        var cursor: String?
        var tickets: [Ticket] = []
        repeat {
            let page = try await storage.call(StorageContract.listTickets, .init(status: [.done], cursor: cursor, limit: 1000),
                                              metadata: Metadata(tenant: tenant, principal: "scoring"))
            tickets += page.items
            cursor = page.next
        } while cursor != nil
        model.learn(tickets)
        return model
    }
}
