import Contracts
import Foundation
import RPC

extension Store {
    /// The cached value, nil when absent or expired.
    public func cacheGet(_ tenant: String, _ key: StorageContract.CacheKey) async throws -> Data? {
        try await read { db in
            let statement = try db.prepare("SELECT value FROM cache WHERE tenant = ? AND namespace = ? AND key = ? AND expires_at > ?")
            try statement.bind([.text(tenant), .text(key.namespace), .text(key.key), .date(Date())])
            guard try statement.step() else { return nil }
            return Data(statement.blob(0))
        }
    }

    /// Stores a value for `ttlSeconds`.
    public func cachePut(_ tenant: String, _ request: StorageContract.CachePutRequest) async throws {
        _ = try Validation.identifier(request.namespace, field: "namespace", maxLength: 64)
        _ = try Validation.identifier(request.key, field: "key", maxLength: 512)
        guard request.value.count <= 1 << 20 else { throw RPCError.invalidArgument("value: larger than 1 MiB") }
        guard request.ttlSeconds.isFinite, request.ttlSeconds > 0, request.ttlSeconds <= 90 * 86_400 else {
            throw RPCError.invalidArgument("ttlSeconds: must be between 0 and 90 days")
        }
        let expires = Date().addingTimeInterval(request.ttlSeconds)
        try await writeRow(tenant, """
            INSERT INTO cache(tenant, namespace, key, value, expires_at) VALUES(?, ?, ?, ?, ?)
            ON CONFLICT(tenant, namespace, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
            """, [.text(tenant), .text(request.namespace), .text(request.key), .blob(Array(request.value)), .date(expires)])
    }

    /// Deletes expired cache rows of every tenant; returns how many.
    @discardableResult
    public func sweepCache(now: Date = Date()) async throws -> Int {
        try await write { db in try db.run("DELETE FROM cache WHERE expires_at <= ?", [.date(now)]) }
    }
}
