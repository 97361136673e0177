import Synchronization
import Testing
@testable import Lifecycle

/// Tenants' values are loaded once, kept while used, and dropped when idle or over the budget, least recently used first.
@Suite struct TenantResidencyTests {
    final class Value: MemoryEstimating {
        let name: String
        let bytes: Int
        init(_ name: String, bytes: Int) { self.name = name; self.bytes = bytes }
        var estimatedBytes: Int { bytes }
    }

    final class Loads: Sendable {
        private let counts = Mutex<[String: Int]>([:])
        func count(_ tenant: String) -> Int { counts.withLock { $0[tenant] ?? 0 } }
        func load(_ tenant: String, bytes: Int = 100) async throws -> Value {
            counts.withLock { $0[tenant, default: 0] += 1 }
            try await Task.sleep(nanoseconds: 1_000_000)
            return Value(tenant, bytes: bytes)
        }
    }

    final class Dropped: Sendable {
        let tenants = Mutex<[String]>([])
        var all: [String] { tenants.withLock { $0 } }
    }

    @Test func concurrentFirstUsesShareOneLoad() async throws {
        let loads = Loads()
        let residency = TenantResidency<Value>(limits: .unlimited)
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await residency.value(for: "acme") { try await loads.load("acme") }.name } }
            for try await name in group { #expect(name == "acme") }
        }
        #expect(loads.count("acme") == 1)
        #expect(residency.usage.tenants == 1)
        #expect(residency.usage.bytes == 100)
    }

    @Test func anIdleTenantIsDroppedAndLoadedAgainOnItsNextUse() async throws {
        let loads = Loads(), dropped = Dropped()
        let residency = TenantResidency<Value>(limits: .init(idleSeconds: 60, budgetBytes: 0)) { tenant in
            dropped.tenants.withLock { $0.append(tenant) }
        }
        _ = try await residency.value(for: "old", now: 1000) { try await loads.load("old") }
        _ = try await residency.value(for: "busy", now: 1000) { try await loads.load("busy") }
        _ = try await residency.value(for: "busy", now: 1050) { try await loads.load("busy") }
        #expect(await residency.sweep(now: 1070) == ["old"])
        #expect(dropped.all == ["old"])
        #expect(await residency.loadedValue(for: "old") == nil)
        #expect(await residency.loadedValue(for: "busy")?.name == "busy")
        _ = try await residency.value(for: "old", now: 1080) { try await loads.load("old") }
        #expect(loads.count("old") == 2)
        #expect(loads.count("busy") == 1)
    }

    @Test func overTheBudgetTheLeastRecentlyUsedGoFirstButNeverTheOneJustLoaded() async throws {
        let loads = Loads(), dropped = Dropped()
        let residency = TenantResidency<Value>(limits: .init(idleSeconds: 0, budgetBytes: 250)) { tenant in
            dropped.tenants.withLock { $0.append(tenant) }
        }
        _ = try await residency.value(for: "a", now: 1) { try await loads.load("a") }
        _ = try await residency.value(for: "b", now: 2) { try await loads.load("b") }
        _ = try await residency.value(for: "a", now: 3) { try await loads.load("a") }   // a is now more recent than b
        _ = try await residency.value(for: "c", now: 4) { try await loads.load("c") }
        #expect(dropped.all == ["b"])
        #expect(residency.usage.bytes == 200)
        _ = try await residency.value(for: "huge", now: 5) { try await loads.load("huge", bytes: 1000) }
        #expect(Set(dropped.all) == ["a", "b", "c"])
        #expect(await residency.loadedValue(for: "huge")?.name == "huge")
        #expect(residency.usage.tenants == 1)
    }

    @Test func aFailedLoadIsForgottenSoTheNextUseTriesAgain() async throws {
        struct Down: Error {}
        let residency = TenantResidency<Value>(limits: .unlimited)
        await #expect(throws: Down.self) { _ = try await residency.value(for: "acme") { throw Down() } }
        #expect(residency.usage.tenants == 0)
        #expect(try await residency.value(for: "acme") { Value("acme", bytes: 1) }.name == "acme")
    }

    @Test func growthIsCountedAtTheNextSweep() async throws {
        final class Growing: MemoryEstimating {
            let size = Mutex(10)
            var estimatedBytes: Int { size.withLock { $0 } }
        }
        let residency = TenantResidency<Growing>(limits: .init(idleSeconds: 0, budgetBytes: 100))
        let first = try await residency.value(for: "a", now: 1) { Growing() }
        _ = try await residency.value(for: "b", now: 2) { Growing() }
        first.size.withLock { $0 = 95 }
        #expect(await residency.sweep(now: 3) == ["a"])
        #expect(residency.usage.bytes == 10)
    }
}
