import Foundation
import Synchronization

/// What a service keeps in memory for a tenant (a learned model, a vocabulary), loaded when first needed and dropped
/// when the tenant has been idle for ``ResidencyLimits/idleSeconds`` or when everything kept is estimated above
/// ``ResidencyLimits/budgetBytes`` (least recently used first), so one process can serve many tenants. A dropped tenant is
/// loaded again, from storage, on its next use: only what can be rebuilt belongs here.
///
/// Concurrent first uses share one load; a failed load is forgotten, so the next use tries again. A value in use
/// when it is dropped stays valid for that use. The budget counts each value's ``MemoryEstimating/estimatedBytes``,
/// asked after a load and on each ``sweep(now:)`` (values grow as they learn); one tenant over the whole budget is
/// still kept, alone.
public final class TenantResidency<Value: MemoryEstimating>: Sendable {
    private struct Entry {
        var task: Task<Value, any Error>
        var lastUsed: Double
        /// The estimate when last asked; 0 while loading.
        var bytes: Int
    }

    private let limits: ResidencyLimits
    private let entries = Mutex<[String: Entry]>([:])
    private let onDrop: @Sendable (String) -> Void

    /// `onDrop` is called (outside the lock) with each tenant dropped by the limits, to drop what goes with it.
    public init(limits: ResidencyLimits, onDrop: @escaping @Sendable (String) -> Void = { _ in }) {
        self.limits = limits
        self.onDrop = onDrop
    }

    /// The tenant's value, loading it with `load` unless it is kept or being loaded.
    public func value(for tenant: String, now: Double = Date().timeIntervalSince1970,
                      load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let (task, started) = entries.withLock { entries -> (Task<Value, any Error>, Bool) in
            if var entry = entries[tenant] {
                entry.lastUsed = max(entry.lastUsed, now)
                entries[tenant] = entry
                return (entry.task, false)
            }
            let task = Task { try await load() }
            entries[tenant] = Entry(task: task, lastUsed: now, bytes: 0)
            return (task, true)
        }
        let value: Value
        do {
            value = try await task.value
        } catch {
            entries.withLock { entries in
                if let entry = entries[tenant], entry.task == task { entries.removeValue(forKey: tenant) }   // try again next time
            }
            throw error
        }
        if started {
            let bytes = value.estimatedBytes
            entries.withLock { entries in
                if entries[tenant]?.task == task { entries[tenant]?.bytes = bytes }
            }
            enforceBudget(keeping: tenant)
        }
        return value
    }

    /// The tenant's value if it is kept or being loaded (waiting for the load), else nil; never starts a load and does
    /// not count as a use.
    public func loadedValue(for tenant: String) async -> Value? {
        guard let task = entries.withLock({ $0[tenant]?.task }) else { return nil }
        return try? await task.value
    }

    /// Drops the tenant's value now (a reset or a purge).
    public func drop(_ tenant: String) {
        _ = entries.withLock { $0.removeValue(forKey: tenant) }
    }

    /// Drops the tenants idle for longer than the limit, refreshes every estimate and enforces the budget; returns
    /// the tenants dropped. Called every few seconds by the service (``startSweeping(every:)``), and by tests.
    @discardableResult
    public func sweep(now: Double = Date().timeIntervalSince1970) async -> [String] {
        var dropped: [String] = []
        if limits.idleSeconds > 0 {
            dropped = entries.withLock { entries in
                let idle = entries.filter { now - $0.value.lastUsed > limits.idleSeconds }.map(\.key)
                for tenant in idle { entries.removeValue(forKey: tenant) }
                return idle
            }
        }
        for tenant in dropped { onDrop(tenant) }
        let kept = entries.withLock { $0.map { ($0.key, $0.value.task) } }
        for (tenant, task) in kept {
            guard let value = try? await task.value else { continue }
            let bytes = value.estimatedBytes
            entries.withLock { entries in
                if entries[tenant]?.task == task { entries[tenant]?.bytes = bytes }
            }
        }
        return dropped + enforceBudget(keeping: nil)
    }

    /// Sweeps every `seconds` until the returned task is cancelled.
    public func startSweeping(every seconds: Double) -> Task<Void, Never> {
        Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                guard let self else { return }
                await self.sweep()
            }
        }
    }

    /// The tenants kept or loading.
    public var tenants: [String] { entries.withLock { Array($0.keys) } }

    /// What is kept: tenants, and the sum of their last estimates.
    public var usage: (tenants: Int, bytes: Int) {
        entries.withLock { entries in (entries.count, entries.values.reduce(0) { $0 + $1.bytes }) }
    }

    /// Drops least recently used tenants (never `keeping`, the one just loaded) until the estimates fit the budget.
    @discardableResult
    private func enforceBudget(keeping: String?) -> [String] {
        guard limits.budgetBytes > 0 else { return [] }
        let dropped = entries.withLock { entries -> [String] in
            var total = entries.values.reduce(0) { $0 + $1.bytes }
            guard total > limits.budgetBytes else { return [] }
            var dropped: [String] = []
            for (tenant, entry) in entries.sorted(by: { $0.value.lastUsed < $1.value.lastUsed }) where total > limits.budgetBytes {
                guard tenant != keeping, entry.bytes > 0 else { continue }   // 0: still loading
                entries.removeValue(forKey: tenant)
                total -= entry.bytes
                dropped.append(tenant)
            }
            return dropped
        }
        for tenant in dropped { onDrop(tenant) }
        return dropped
    }
}
