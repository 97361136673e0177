import Foundation

/// Brings a PostgreSQL database's schema up to date, once, whichever storage instance gets there
/// first: each holds a session advisory lock while it looks, so the others wait, then find nothing
/// to do. Applied migrations are recorded in `schema_migrations`; a database newer than this code
/// is refused (``Migrator/NewerSchema``), as a SQLite file is.
enum PostgresMigrator {
    /// The advisory lock key of migrations ("STSCHEMA"); advisory locks are per database.
    static let lockKey: Int64 = 0x5354_5343_4845_4D41

    /// Applies the pending migrations in one transaction under the lock; returns the version before,
    /// and the database's epoch (``epoch(_:)``).
    static func migrate(_ database: Database) throws -> (before: Int, epoch: String) {
        try database.execute("SELECT pg_advisory_lock(\(lockKey))")
        defer {
            database.resetStatements()
            try? database.execute("SELECT pg_advisory_unlock(\(lockKey))")
        }
        try database.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations(version BIGINT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)
            """)
        let current = Int(try database.scalar("SELECT coalesce(max(version), 0) FROM schema_migrations")?.int ?? 0)
        database.resetStatements()
        guard current <= Schema.latestVersion else { throw Migrator.NewerSchema(found: current, supported: Schema.latestVersion) }
        if current < Schema.latestVersion {
            try database.transaction {
                for version in (current + 1)...Schema.latestVersion {
                    try database.execute(PostgresSchema.migrations[version - 1])
                    try database.run("INSERT INTO schema_migrations(version, applied_at) VALUES(?, ?)",
                                     [.integer(Int64(version)), .date(Date())])
                }
            }
        }
        return (current, try epoch(database))
    }

    /// The database's epoch in data versions: the UUID its first migration stored, and the
    /// database's OID. The same for every storage instance on the database (their data versions
    /// compare), and new for a database restored from a dump into a new database, where the data
    /// version sequence may repeat numbers.
    static func epoch(_ database: Database) throws -> String {
        defer { database.resetStatements() }
        guard let epoch = try database.scalar("""
            SELECT value || '.' || (SELECT oid FROM pg_database WHERE datname = current_database())::text
            FROM storage_meta WHERE key = 'epoch'
            """)?.string else {
            throw PostgresError(sqlState: nil, message: "the database has no epoch in storage_meta")
        }
        return epoch
    }
}
