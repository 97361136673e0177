import Contracts
import Foundation
import RPC

extension Store {
    /// The sync state of a project (empty if it was never synced).
    public func getSyncState(_ tenant: String, _ project: String) async throws -> SyncState {
        _ = try Validation.key(project, field: "key")
        return try await read { db in
            let statement = try db.prepare("SELECT cursor, last_sync FROM sync_state WHERE tenant = ? AND project = ?")
            try statement.bind([.text(tenant), .text(project)])
            guard try statement.step() else { return SyncState(project: project) }
            return SyncState(project: project, cursor: statement.text(0), lastSync: statement.date(1))
        }
    }

    /// Records where a project's sync stopped.
    public func putSyncState(_ tenant: String, _ state: SyncState) async throws -> SyncState {
        _ = try Validation.projectKey(state.project)
        if let cursor = state.cursor { try Validation.text(cursor, field: "cursor", maxBytes: 1024) }
        try await writeRow(tenant, """
            INSERT INTO sync_state(tenant, project, cursor, last_sync) VALUES(?, ?, ?, ?)
            ON CONFLICT(tenant, project) DO UPDATE SET cursor = excluded.cursor, last_sync = excluded.last_sync
            """, [.text(tenant), .text(state.project), .optional(state.cursor), .optionalDate(state.lastSync)])
        return state
    }

    /// A tenant setting's value, nil if unset.
    public func getSetting(_ tenant: String, _ key: String) async throws -> Data? {
        try await read { db in
            let statement = try db.prepare("SELECT value FROM settings WHERE tenant = ? AND key = ?")
            try statement.bind([.text(tenant), .text(key)])
            guard try statement.step() else { return nil }
            return Data(statement.blob(0))
        }
    }

    /// Sets (or with a nil value, removes) a tenant setting.
    public func putSetting(_ tenant: String, _ setting: StorageContract.Setting) async throws {
        _ = try Validation.identifier(setting.key, field: "key", maxLength: 128)
        if let value = setting.value, value.count > 4 << 20 { throw RPCError.invalidArgument("value: larger than 4 MiB") }
        try await write { db in
            try Store.requireTenant(db, tenant)
            if let value = setting.value {
                try db.run("""
                    INSERT INTO settings(tenant, key, value) VALUES(?, ?, ?)
                    ON CONFLICT(tenant, key) DO UPDATE SET value = excluded.value
                    """, [.text(tenant), .text(setting.key), .blob(Array(value))])
            } else {
                try db.run("DELETE FROM settings WHERE tenant = ? AND key = ?", [.text(tenant), .text(setting.key)])
            }
        }
    }
}
