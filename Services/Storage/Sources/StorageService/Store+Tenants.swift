import Contracts
import Foundation
import RPC

extension Store {
    /// Creates or renames the tenant.
    public func putTenant(_ tenant: String, _ request: StorageContract.PutTenantRequest) async throws -> Tenant {
        _ = try Validation.key(tenant, field: "tenant", maxLength: 128)
        try Validation.text(request.name, field: "name", maxBytes: Validation.maxNameLength)
        if let site = request.jiraSite { try Validation.text(site, field: "jiraSite", maxBytes: 500) }
        if let cloud = request.jiraCloudID { _ = try Validation.identifier(cloud, field: "jiraCloudID") }
        return try await write { db in
            try db.run("""
                INSERT INTO tenants(id, name, jira_site, jira_cloud_id, installed_at) VALUES(?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET name = excluded.name, jira_site = excluded.jira_site, jira_cloud_id = excluded.jira_cloud_id
                """, [.text(tenant), .text(request.name), .optional(request.jiraSite), .optional(request.jiraCloudID), .date(Date())])
            return try Store.loadTenant(db, tenant)!
        }
    }

    /// The tenant, or NOT_FOUND.
    public func getTenant(_ tenant: String) async throws -> Tenant {
        guard let found = try await read({ db in try Store.loadTenant(db, tenant) }) else {
            throw RPCError.notFound("tenant not found")
        }
        return found
    }

    static func loadTenant(_ db: Database, _ tenant: String) throws -> Tenant? {
        let statement = try db.prepare("SELECT id, name, jira_site, jira_cloud_id, installed_at FROM tenants WHERE id = ?")
        try statement.bind([.text(tenant)])
        guard try statement.step() else { return nil }
        return Tenant(id: statement.text(0) ?? "", name: statement.text(1) ?? "", jiraSite: statement.text(2),
                      jiraCloudID: statement.text(3), installedAt: statement.date(4) ?? Date())
    }

    /// Deletes every row of the tenant in one transaction. On SQLite it then checkpoints the WAL and
    /// vacuums so none of its bytes remain in the database file or the WAL. On PostgreSQL the
    /// committed DELETEs are all it takes: no query sees the rows again, on any instance, and their
    /// space is reclaimed by autovacuum (a VACUUM here would not be needed for correctness, and
    /// would not erase the bytes either: that is the database's storage and backups' concern).
    public func purgeTenant(_ tenant: String) async throws -> Int {
        let deleted = try await write { db in
            var total = 0
            for (table, column) in Schema.tenantTables {
                total += try db.run("DELETE FROM \(table) WHERE \(column) = ?", [.text(tenant)])
            }
            return total
        }
        revokedTokens.removeTenant(tenant)
        if engine == .sqlite {
            try await writer.perform(exclusive: true) { db in
                try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                try db.execute("VACUUM")
                try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            }
        }
        logger.notice("tenant purged", ["rows": .int(deleted)])
        return deleted
    }
}
