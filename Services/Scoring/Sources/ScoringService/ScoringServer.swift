import Contracts
import Foundation
import JSONKit
import Lifecycle
import Observability
import RPC
import Synchronization

/// The scoring service: ranks candidates with explanations; learns per tenant from resolved tickets.
public enum ScoringServer {
    /// The service for `ServiceRunner`.
    public static func makeService(_ setup: ServiceRunner.Setup) async throws -> ServiceRunner.Service {
        let configuration = setup.configuration
        let storage = StorageClient(service: "storage", socketPaths: RunDirectory(path: configuration.runDir).sockets(.storage, count: 1),
                                defaultTimeout: 120)
        let skills = SkillsClient(service: "skills", socketPaths: RunDirectory(path: configuration.runDir).sockets(.skills, count: configuration.instances(of: .skills)),
                               defaultTimeout: 120, instanceChoice: .byTenant)
        return ServiceRunner.Service(router: router(storage: storage, skills: skills, residency: defaultResidency, logger: setup.logger))
    }

    /// Models of tenants idle for an hour are dropped, and the least recently used ones when all are estimated above
    /// 2 GiB. A model is about 1 KB per resolved ticket: 58,000 numpy tickets were estimated at 61 MB and grew the
    /// process by 64 MB.
    public static let defaultResidency = ResidencyLimits(idleSeconds: 3600, budgetBytes: 2 << 30)

    /// Every `scoring.v1` method, calling storage and skills through `storage` and `skills` (sockets in the service,
    /// routers in this process in unit tests); tenants' models are kept within `residency`, checked every 30 seconds.
    public static func router(storage: StorageClient, skills: SkillsClient, residency: ResidencyLimits, logger: Logger) -> Router {
        let ticketSkills = TicketSkillsReader(skills: skills, logger: logger)
        let snapshots = TenantSnapshots(storage: storage)
        let models = TenantModels(storage: storage, ticketSkills: ticketSkills, limits: residency) { tenant in
            snapshots.drop(tenant)
            logger.info("tenant model dropped", ["tenant": .string(tenant)])
        }
        if residency != .unlimited { _ = models.startSweeping(every: 30) }
        var router = Router()
        router.registerAsync(ScoringContract.rank) { request, context in
            let tenant = try context.requireTenant()
            let model = try await models.model(for: tenant)
            var ranking = request.snapshot == true
                ? model.rank(request, snapshot: try await snapshots.snapshot(
                    for: tenant, known: request.dataVersion, effortSince: request.now?.addingTimeInterval(-TenantSnapshot.effortWindow)))
                : model.rank(request)
            if request.writeCandidates == true { try ranking.writeCandidates() }
            return ranking
        }
        router.registerAsync(ScoringContract.learn) { request, context in
            // A tenant not loaded here learns nothing now: its model is read from storage, which has the tickets and
            // the override decisions before they are sent, when first needed.
            let tenant = try context.requireTenant()
            guard let model = await models.loadedModel(for: tenant) else { return .init(learned: 0) }
            let fresh = model.unlearned(request.tickets)
            let learned = model.learn(fresh, skills: await ticketSkills.skills(of: fresh, tenant: tenant))
            let overrides = request.overrides ?? []
            model.learnOverrides(overrides, skills: await ticketSkills.skills(of: overrides.map(\.ticket), tenant: tenant))
            return ScoringContract.LearnResponse(learned: learned)
        }
        router.registerAsync(ScoringContract.profile) { request, context in
            let model = try await models.model(for: try context.requireTenant())
            return .init(items: model.profile(of: request.person, now: request.now ?? Date()))
        }
        router.registerAsync(ScoringContract.whatIf) { request, context in
            try await WhatIfHandler.run(request, tenant: try context.requireTenant(), storage: storage, skills: ticketSkills)
        }
        router.registerAsync(ScoringContract.rebalance) { request, context in
            let tenant = try context.requireTenant()
            return try await RebalanceHandler.handle(request, model: try await models.model(for: tenant), skills: ticketSkills, tenant: tenant)
        }
        router.registerBlocking(ScoringContract.reset) { _, context in
            let tenant = try context.requireTenant()
            models.drop(tenant)
            snapshots.drop(tenant)
            return StorageContract.Empty()
        }
        return router
    }
}

/// Every tenant's model, loaded from storage's resolved tickets when first needed and kept while it is used: a tenant
/// idle for longer than the limit, or the least recently used ones when the models are estimated above the memory
/// budget, are dropped (with their snapshot) and loaded again on their next use (``TenantResidency``).
final class TenantModels: Sendable {
    private let storage: StorageClient
    private let ticketSkills: TicketSkillsReader
    private let residency: TenantResidency<TenantModel>

    init(storage: StorageClient, ticketSkills: TicketSkillsReader, limits: ResidencyLimits,
         onDrop: @escaping @Sendable (String) -> Void = { _ in }) {
        self.storage = storage
        self.ticketSkills = ticketSkills
        self.residency = TenantResidency(limits: limits, onDrop: onDrop)
    }

    func model(for tenant: String) async throws -> TenantModel {
        let storage = self.storage, ticketSkills = self.ticketSkills
        return try await residency.value(for: tenant) {
            try await TenantModels.bootstrap(tenant: tenant, storage: storage, ticketSkills: ticketSkills)
        }
    }

    /// The tenant's model if it is loaded or loading here (waiting for the load), else nil; never starts a load.
    func loadedModel(for tenant: String) async -> TenantModel? {
        await residency.loadedValue(for: tenant)
    }

    func drop(_ tenant: String) {
        residency.drop(tenant)
    }

    /// Drops idle tenants and enforces the budget now; returns the tenants dropped.
    @discardableResult
    func sweep(now: Double = Date().timeIntervalSince1970) async -> [String] { await residency.sweep(now: now) }

    /// Sweeps every `seconds` until the task is cancelled.
    func startSweeping(every seconds: Double) -> Task<Void, Never> { residency.startSweeping(every: seconds) }

    /// Tenants kept and their estimated bytes.
    var usage: (tenants: Int, bytes: Int) { residency.usage }

    private static func bootstrap(tenant: String, storage: StorageClient, ticketSkills: TicketSkillsReader) async throws -> TenantModel {
        let model = TenantModel()
        var cursor: String?
        var tickets: [Ticket] = []
        repeat {
            let page = try await storage.call(StorageContract.listTickets, .init(status: [.done], cursor: cursor, limit: 1000),
                                              metadata: Metadata(tenant: tenant, principal: "scoring"))
            tickets += page.items
            cursor = page.next
        } while cursor != nil
        let learnable = model.unlearned(tickets)
        model.learn(learnable, skills: await ticketSkills.skills(of: learnable, tenant: tenant))
        // Overrides are a refinement: a failing decision log must not keep the model from loading.
        let overrides = (try? await overrides(tenant: tenant, storage: storage)) ?? []
        model.learnOverrides(overrides, skills: await ticketSkills.skills(of: overrides.map(\.ticket), tenant: tenant))
        return model
    }

    /// The overrides recorded in the decision log (at most the latest 20,000 decisions are read), with their tickets.
    private static func overrides(tenant: String, storage: StorageClient) async throws -> [ScoringContract.Override] {
        let metadata = Metadata(tenant: tenant, principal: "scoring")
        var cursor: String?
        var decisions: [Decision] = []
        repeat {
            let page = try await storage.call(StorageContract.listDecisions, .init(cursor: cursor, limit: 1000), metadata: metadata)
            decisions += page.items.filter { $0.mode == .override }
            cursor = page.next
        } while cursor != nil && decisions.count < 20_000
        var overrides: [ScoringContract.Override] = []
        for decision in decisions {
            guard let from = decision.candidates.first?.person ?? decision.previous, from != decision.chosen,
                  let ticket = try? await storage.call(StorageContract.getTicket, .init(decision.ticket), metadata: metadata) else { continue }
            overrides.append(.init(ticket: ticket, from: from, to: decision.chosen, at: decision.at))
        }
        return overrides
    }
}
