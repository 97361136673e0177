import Contracts
import Foundation
import RPC

extension Store {
    /// Takes or renews the lease `name` for `holder` for `seconds` from now, unless another holder's lease has not
    /// expired; answers who holds it either way.
    public func acquireLease(_ request: StorageContract.LeaseRequest, now: Date = Date()) async throws -> StorageContract.Lease {
        try Store.validate(request)
        let seconds = request.seconds ?? 60
        guard (1...86_400).contains(seconds) else { throw RPCError.invalidArgument("seconds: must be between 1 and 86400") }
        return try await write { db in
            // The update applies only when the lease is free, expired, or already the caller's.
            try db.run("""
                INSERT INTO leases(name, holder, expires_at) VALUES(?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE leases.holder = excluded.holder OR leases.expires_at <= ?
                """, [.text(request.name), .text(request.holder), .date(now.addingTimeInterval(seconds)), .date(now)])
            return try Store.lease(db, request.name, asking: request.holder)
        }
    }

    /// Ends `holder`'s lease `name` now (nothing when another holds it).
    public func releaseLease(_ request: StorageContract.LeaseRequest) async throws -> StorageContract.Lease {
        try Store.validate(request)
        return try await write { db in
            _ = try db.run("DELETE FROM leases WHERE name = ? AND holder = ?", [.text(request.name), .text(request.holder)])
            return try Store.lease(db, request.name, asking: request.holder)
        }
    }

    private static func lease(_ db: Database, _ name: String, asking holder: String) throws -> StorageContract.Lease {
        let statement = try db.prepare("SELECT holder, expires_at FROM leases WHERE name = ?")
        try statement.bind([.text(name)])
        guard try statement.step() else { return .init(name: name, held: false, holder: nil, expiresAt: nil) }
        let current = statement.text(0)
        return .init(name: name, held: current == holder, holder: current, expiresAt: statement.date(1))
    }

    private static func validate(_ request: StorageContract.LeaseRequest) throws {
        _ = try Validation.identifier(request.name, field: "name")
        guard !request.holder.isEmpty, request.holder.utf8.count <= 200 else {
            throw RPCError.invalidArgument("holder: must be 1 to 200 bytes")
        }
    }
}
