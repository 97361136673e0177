import Synchronization

/// The revoked token ids of a SQLite database, in memory: storage is its only writer, so after it loads them at open and
/// adds each revocation once it commits, the set is the table's truth, and the check of every authenticated request
/// (`storage.v1/TokenState`) reads no database. Unused on PostgreSQL, where other pods revoke too: there each check is a
/// primary-key lookup.
final class RevokedTokens: Sendable {
    /// Tenant to its revoked ids; nil until loaded (or never, on PostgreSQL).
    private let ids = Mutex<[String: Set<String>]?>(nil)

    /// Whether the set is kept (SQLite after ``load(_:)``).
    var isKept: Bool { ids.withLock { $0 != nil } }

    /// Starts keeping the set, from `pairs` (tenant, id) read from the table.
    func load(_ pairs: [(tenant: String, id: String)]) {
        var loaded: [String: Set<String>] = [:]
        for pair in pairs { loaded[pair.tenant, default: []].insert(pair.id) }
        ids.withLock { $0 = loaded }
    }

    /// Whether `id` of `tenant` is revoked; nil when the set is not kept.
    func contains(_ tenant: String, _ id: String) -> Bool? {
        ids.withLock { ids in ids.map { $0[tenant]?.contains(id) ?? false } }
    }

    /// Records a committed revocation (nothing when the set is not kept).
    func insert(_ tenant: String, _ id: String) {
        ids.withLock { ids in ids?[tenant, default: []].insert(id) }
    }

    /// Forgets a purged tenant's ids.
    func removeTenant(_ tenant: String) {
        ids.withLock { ids in _ = ids?.removeValue(forKey: tenant) }
    }
}
