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
        // A model is about 1 KB per resolved ticket: 58,000 numpy tickets were estimated at 61 MB and grew the process
        // by 64 MB.
        return ServiceRunner.Service(router: router(storage: storage, skills: skills, residency: configuration[ScoringSettings.self].residency,
                                                    logger: setup.logger))
    }

    /// How often the kept models are checked against storage's epoch (``TenantModels/dropSuperseded()``): an erasure in
    /// another pod leaves this one's memory within this many seconds.
    static let supersededCheckSeconds = 10.0

    /// Every `scoring.v1` method, calling storage and skills through `storage` and `skills` (sockets in the service,
    /// routers in this process in unit tests); tenants' models are kept within `residency`, checked every 30 seconds.
    public static func router(storage: StorageClient, skills: SkillsClient, residency: ResidencyLimits, logger: Logger) -> Router {
        let ticketSkills = TicketSkillsReader(skills: skills, logger: logger)
        let snapshots = TenantSnapshots(storage: storage)
        let models = TenantModels(storage: storage, ticketSkills: ticketSkills, limits: residency, logger: logger) { tenant in
            snapshots.drop(tenant)
            logger.info("tenant model dropped", ["tenant": .string(tenant)])
        }
        if residency != .unlimited { _ = models.startSweeping(every: 30) }
        _ = models.startDroppingSuperseded(every: ScoringServer.supersededCheckSeconds)
        var router = Router()
        router.registerAsync(ScoringContract.rank) { request, context in
            let tenant = try context.requireTenant()
            let model = try await models.model(for: tenant)
            var ranking: Ranking
            if request.snapshot == true {
                let snapshot = try await snapshots.snapshot(for: tenant, known: request.dataVersion,
                                                            effortSince: request.now?.addingTimeInterval(-TenantSnapshot.effortWindow))
                // What another pod wrote since the model last followed storage is learned for the next rankings.
                models.follow(tenant, model: model, version: snapshot.version)
                ranking = model.rank(request, snapshot: snapshot)
            } else {
                ranking = model.rank(request)
            }
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
