import Contracts
import Foundation
import Observability
import Posix
import SkillsCore
import Testing
@testable import SkillsService

/// What a skills instance keeps of a tenant: learning reaches a loaded tenant once per ticket, a tenant not loaded is
/// left to load from storage, and forgetting (uninstall, custom skills changed) drops everything.
@Suite struct SkillsEngineForgetTests {
    private func engine() throws -> SkillsEngine {
        SkillsEngine(taxonomy: try SkillTaxonomy.bundled(), provider: nil, storage: nil, cacheTTL: 60,
                     logger: Logger(label: "test", sink: .discard))
    }

    private let request = SkillsContract.DetectRequest(title: "Ledger export fails")
    private let resolved = Ticket(key: "ACME-1", project: "ACME", title: "Zookeeper ensemble split brain", assignee: "ana",
                                  created: Date(timeIntervalSince1970: 0), resolved: Date(timeIntervalSince1970: 60))

    @Test func learningReachesLoadedTenantsOncePerTicket() async throws {
        let engine = try engine()
        #expect(try await engine.learn([resolved], tenant: "acme") == 0, "not loaded: it reads storage when first used")
        let loaded = try await engine.detect(request, tenant: "acme", deadline: .after(seconds: 5)).vocabulary
        #expect(try await engine.learn([resolved], tenant: "acme") == 1)
        #expect(try await engine.learn([resolved], tenant: "acme") == 0)
        #expect(try await engine.detect(request, tenant: "acme", deadline: .after(seconds: 5)).vocabulary != loaded)
    }

    @Test func aForgottenTenantStartsAgainEmpty() async throws {
        let engine = try engine()
        _ = try await engine.detect(request, tenant: "acme", deadline: .after(seconds: 5))
        #expect(try await engine.learn([resolved], tenant: "acme") == 1)
        let learned = try await engine.detect(request, tenant: "acme", deadline: .after(seconds: 5)).vocabulary
        _ = try await engine.detect(request, tenant: "other", deadline: .after(seconds: 5))
        engine.forget(tenant: "acme")
        #expect(try await engine.learn([resolved], tenant: "acme") == 0, "forgotten: nothing loaded")
        let again = try await engine.detect(request, tenant: "acme", deadline: .after(seconds: 5)).vocabulary
        #expect(again != learned)
        #expect(again?.hasSuffix("-0") == true, "a fresh state that learned nothing: \(again ?? "nil")")
        #expect(try await engine.learn([resolved], tenant: "acme") == 1, "the ticket is new to the fresh state")
        #expect(try await engine.learn([resolved], tenant: "other") == 1, "another tenant is untouched")
    }

    @Test func tenantsIdleLongerThanTheLimitAreDroppedOthersKept() async throws {
        let engine = try engine()
        _ = try await engine.detect(request, tenant: "old", deadline: .after(seconds: 5))
        _ = try await engine.detect(request, tenant: "busy", deadline: .after(seconds: 5))
        #expect(engine.dropIdle(olderThan: 3600).isEmpty, "nothing is an hour old yet")
        #expect(engine.keptTenants == 2)
        let later = Monotonic.nanoseconds() + 2 * 3_600_000_000_000
        #expect(Set(engine.dropIdle(olderThan: 3600, now: later)) == ["old", "busy"])
        #expect(engine.keptTenants == 0)
        #expect(try await engine.learn([resolved], tenant: "old") == 0, "dropped: loaded again from storage when next used")
    }
}
