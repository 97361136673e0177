import Contracts
import Foundation
import Lifecycle
import Observability
import RPC
import SkillsCore

/// The skills service: builds the router that `smart-ticket-skills` serves.
public enum SkillsServer {
    /// The service for `ServiceRunner`.
    public static func makeService(_ setup: ServiceRunner.Setup) async throws -> ServiceRunner.Service {
        let configuration = setup.configuration
        let settings = configuration[SkillsSettings.self]
        let provider = try ModelConfiguration.from(settings).map { OpenAIProvider(configuration: $0, logger: setup.logger) }
        let storage = StorageClient(service: "storage", socketPaths: RunDirectory(path: configuration.runDir).sockets(.storage, count: 1),
                                defaultTimeout: 60)
        let engine = SkillsEngine(taxonomy: try SkillTaxonomy.bundled(), provider: provider, storage: storage,
                                  cacheTTL: settings.cacheTTLSeconds,
                                  vocabularyRefresh: settings.vocabularyRefreshSeconds, logger: setup.logger)
        // Tenants unused for a while are dropped, so one instance can serve many (their vocabulary loads again when needed).
        let idle = settings.tenantIdleSeconds
        let sweeper = idle > 0 ? Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(min(60, idle) * 1e9))
                engine.dropIdle(olderThan: idle)
            }
        } : nil
        var router = Router()
        router.registerAsync(SkillsContract.detect) { request, context in
            try await engine.detect(request, tenant: try context.requireTenant(), deadline: context.deadline ?? .after(seconds: 10))
        }
        router.registerAsync(SkillsContract.learn) { request, context in
            // Overrides are scoring's (who has which skills); the vocabulary learns the tickets.
            ScoringContract.LearnResponse(learned: try await engine.learn(request.tickets, tenant: try context.requireTenant()))
        }
        router.registerAsync(SkillsContract.ticketSkills) { request, context in
            SkillsContract.TicketSkillsResponse(skills: try await engine.skills(of: request.tickets, tenant: try context.requireTenant()))
        }
        router.registerBlocking(SkillsContract.reset) { _, context in
            engine.forget(tenant: try context.requireTenant())
            return StorageContract.Empty()
        }
        router.registerAsync(SkillsContract.putCustomSkills) { request, context in
            SkillsContract.CustomSkills(items: try await engine.putCustomSkills(request.items, tenant: try context.requireTenant()))
        }
        router.registerAsync(SkillsContract.listCustomSkills) { _, context in
            SkillsContract.CustomSkills(items: try await engine.customSkills(tenant: try context.requireTenant()))
        }
        return ServiceRunner.Service(router: router, details: ["model": provider == nil ? "none" : settings.modelName], onStopping: { sweeper?.cancel() })
    }
}
