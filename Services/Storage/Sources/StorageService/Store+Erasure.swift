import Contracts
import Crypto
import Foundation
import RPC

extension Store {
    /// A table whose rows may name a person: the columns sought, and what identifies a row.
    struct PersonalColumns: Sendable {
        let table: String
        /// Columns that, with `tenant`, identify a row.
        let key: [String]
        let columns: [String]
        /// Which of `columns` hold bytes (JSON documents), not text.
        var blobs: Set<String> = []
        /// Rows naming the person are deleted rather than rewritten (derived data, computed again when needed).
        var delete = false
    }

    /// Where a person's id or name can be written, besides their own record and skill profile.
    static let personalColumns: [PersonalColumns] = [
        .init(table: "tickets", key: ["seq"], columns: ["assignee", "title", "description", "components", "labels"]),
        .init(table: "decisions", key: ["id"], columns: ["chosen", "previous", "actor", "reason", "candidates"], blobs: ["candidates"]),
        .init(table: "audit", key: ["id"], columns: ["actor", "target", "before", "after"], blobs: ["before", "after"]),
        .init(table: "settings", key: ["key"], columns: ["value"], blobs: ["value"]),
        .init(table: "projects", key: ["key"], columns: ["name", "settings"], blobs: ["settings"]),
        .init(table: "people", key: ["seq"], columns: ["body"], blobs: ["body"]),
        .init(table: "api_tokens", key: ["id"], columns: ["owner", "name", "revoked_by"]),
        .init(table: "ticket_skills", key: ["ticket"], columns: ["skills"], blobs: ["skills"], delete: true),
        .init(table: "cache", key: ["namespace", "key"], columns: ["value"], blobs: ["value"], delete: true),
    ]

    /// Erases a person (the right to erasure): in one transaction, deletes their record, skill profile and the roles
    /// granted to their id, revokes the tokens they own; rewrites every other row naming their id or name (whole words) with their pseudonym, the
    /// append-only decisions and audit records included; records the pseudonym so a later import or Jira sync of the
    /// same id stores the pseudonym, not the person; and changes the tenant's data generation, so every cache of the
    /// tenant's data (in any process or pod) is dropped. On SQLite the WAL is then checkpointed and the file vacuumed,
    /// so no byte of the id or name remains in the database files (as ``purgeTenant(_:)`` does).
    public func erasePerson(_ tenant: String, _ id: String) async throws -> StorageContract.ErasePersonResponse {
        _ = try Validation.key(id, field: "id")
        let engine = self.engine
        let (response, revoked) = try await write { db -> (StorageContract.ErasePersonResponse, [String]) in
            try Store.requireTenant(db, tenant)
            guard let body = try db.scalar("SELECT body FROM people WHERE tenant = ? AND id = ?", [.text(tenant), .text(id)])?.bytes else {
                throw RPCError.notFound("person not found")
            }
            let person = try Store.fromJSON(Person.self, body)
            let pseudonym = try Store.pseudonym(of: id, tenant: tenant, db, create: true)!
            let scrubber = Pseudonymizer(words: [id, person.displayName], pseudonym: pseudonym)
            var deleted = 0
            deleted += try db.run("DELETE FROM people WHERE tenant = ? AND id = ?", [.text(tenant), .text(id)])
            deleted += try db.run("DELETE FROM skill_profiles WHERE tenant = ? AND person = ?", [.text(tenant), .text(id)])
            deleted += try db.run("DELETE FROM roles WHERE tenant = ? AND principal = ?", [.text(tenant), .text(id)])
            // Tokens made by them (or for them) stop working at once; their rows stay, revoked, under the pseudonym.
            let live = try db.prepare("SELECT id FROM api_tokens WHERE tenant = ? AND owner = ? AND revoked_at IS NULL")
            try live.bind([.text(tenant), .text(id)])
            var revoked: [String] = []
            while try live.step() { revoked.append(live.text(0) ?? "") }
            db.resetStatements()
            try db.run("UPDATE api_tokens SET revoked_at = ?, revoked_by = 'erasure' WHERE tenant = ? AND owner = ? AND revoked_at IS NULL",
                       [.date(Date()), .text(tenant), .text(id)])
            var rewritten = 0
            try Store.withoutAppendOnlyTriggers(db) {
                for table in Store.personalColumns {
                    let (changed, removed) = try Store.scrub(table, tenant: tenant, with: scrubber, db, engine: engine)
                    rewritten += changed
                    deleted += removed
                }
            }
            try db.run("INSERT INTO erased_people(tenant, pseudonym, erased_at) VALUES(?, ?, ?) ON CONFLICT DO NOTHING",
                       [.text(tenant), .text(pseudonym), .date(Date())])
            try db.run("""
                INSERT INTO data_versions(tenant, version, generation) VALUES(?, 0, 1)
                ON CONFLICT(tenant) DO UPDATE SET generation = data_versions.generation + 1
                """, [.text(tenant)])
            return (.init(pseudonym: pseudonym, rowsRewritten: rewritten, rowsDeleted: deleted), revoked)
        }
        for token in revoked { revokedTokens.insert(tenant, token) }
        if engine == .sqlite {
            try await writer.perform(exclusive: true) { db in
                try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                try db.execute("VACUUM")
                try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            }
        }
        logger.notice("person erased", ["pseudonym": .string(response.pseudonym), "rewritten": .int(response.rowsRewritten),
                                        "deleted": .int(response.rowsDeleted)])
        return response
    }

    /// The pseudonym of `id` in `tenant`: `erased-` and the first 16 hex digits of HMAC-SHA256 under the tenant's own
    /// random key (made on the first erasure when `create`; nil without one), so it is stable, and cannot be linked back
    /// to the id without the key, which goes with the tenant.
    static func pseudonym(of id: String, tenant: String, _ db: Database, create: Bool) throws -> String? {
        var key = try db.scalar("SELECT pseudonym_key FROM tenants WHERE id = ?", [.text(tenant)])?.bytes ?? []
        if key.isEmpty {
            guard create else { return nil }
            key = Digest.randomBytes(32)
            try db.run("UPDATE tenants SET pseudonym_key = ? WHERE id = ?", [.blob(key), .text(tenant)])
        }
        return StorageContract.pseudonymPrefix + Digest.hex(Array(Digest.hmacSHA256(key: key, message: Array(id.utf8)).prefix(8)))
    }

    /// Runs `body` with the triggers that keep decisions and audit records append-only lifted, inside the caller's
    /// transaction: no other transaction ever sees them missing.
    static func withoutAppendOnlyTriggers(_ db: Database, _ body: () throws -> Void) throws {
        let tables = [("decisions", "decisions are append-only"), ("audit", "audit records are append-only")]
        for (table, _) in tables {
            switch db.engine {
            case .sqlite: try db.execute("DROP TRIGGER \(table)_append_only_update")
            case .postgres: try db.execute("ALTER TABLE \(table) DISABLE TRIGGER \(table)_append_only_update")
            }
        }
        try body()
        for (table, message) in tables {
            switch db.engine {
            case .sqlite:
                try db.execute("CREATE TRIGGER \(table)_append_only_update BEFORE UPDATE ON \(table) BEGIN SELECT RAISE(ABORT, '\(message)'); END")
            case .postgres: try db.execute("ALTER TABLE \(table) ENABLE TRIGGER \(table)_append_only_update")
            }
        }
    }

    /// Rewrites (or deletes) the tenant's rows of `table` naming one of `scrubber`'s needles; answers rows rewritten
    /// and rows deleted. Rows are found by a byte search in SQL, then replaced in whole words here.
    static func scrub(_ table: PersonalColumns, tenant: String, with scrubber: Pseudonymizer, _ db: Database,
                      engine: DatabaseEngine) throws -> (rewritten: Int, deleted: Int) {
        var conditions: [String] = []
        var bindings: [SQLValue] = [.text(tenant)]
        for column in table.columns {
            for needle in scrubber.needles {
                conditions.append(engine == .sqlite ? "instr(CAST(\(column) AS BLOB), ?) > 0"
                                  : table.blobs.contains(column) ? "position(? IN \(column)) > 0" : "position(? IN convert_to(\(column), 'UTF8')) > 0")
                bindings.append(.blob(needle))
            }
        }
        let columns = table.key + table.columns
        let select = try db.prepare("""
            SELECT \(columns.joined(separator: ", ")) FROM \(table.table) WHERE tenant = ? AND (\(conditions.joined(separator: " OR ")))
            """)
        try select.bind(bindings)
        var rows: [[SQLValue]] = []
        while try select.step() { rows.append((0..<columns.count).map { select.value(Int32($0)) }) }
        let keyCondition = table.key.map { "\($0) = ?" }.joined(separator: " AND ")
        var rewritten = 0, deleted = 0
        for row in rows {
            let key = Array(row[..<table.key.count])
            var changes: [(String, SQLValue)] = []
            for (offset, column) in table.columns.enumerated() {
                switch row[table.key.count + offset] {
                case .text(let text): if let clean = scrubber.scrub(text) { changes.append((column, .text(clean))) }
                case .blob(let bytes): if let clean = scrubber.scrub(bytes) { changes.append((column, .blob(clean))) }
                default: break
                }
            }
            guard !changes.isEmpty else { continue }
            if table.delete {
                deleted += try db.run("DELETE FROM \(table.table) WHERE tenant = ? AND \(keyCondition)", [.text(tenant)] + key)
            } else {
                rewritten += try db.run("UPDATE \(table.table) SET \(changes.map { "\($0.0) = ?" }.joined(separator: ", ")) WHERE tenant = ? AND \(keyCondition)",
                                        changes.map(\.1) + [.text(tenant)] + key)
            }
        }
        return (rewritten, deleted)
    }

    /// Maps ids of people erased in the tenant to their pseudonyms for a write, or nil when none was erased there (the
    /// usual case, answered by one indexed read).
    static func erasedPeople(_ db: Database, _ tenant: String) throws -> ((String) throws -> String?)? {
        guard try db.scalar("SELECT 1 FROM erased_people WHERE tenant = ? LIMIT 1", [.text(tenant)]) != nil else { return nil }
        return { id in
            guard let pseudonym = try Store.pseudonym(of: id, tenant: tenant, db, create: false),
                  try db.scalar("SELECT 1 FROM erased_people WHERE tenant = ? AND pseudonym = ?", [.text(tenant), .text(pseudonym)]) != nil
            else { return nil }
            return pseudonym
        }
    }
}
