/// Opens a database file in the production settings and brings its schema up to date.
enum Migrator {
    /// A database written by a newer SmartTicket.
    struct NewerSchema: Error, CustomStringConvertible {
        let found: Int
        let supported: Int
        var description: String {
            "the database has schema version \(found), newer than this SmartTicket supports (\(supported)); upgrade SmartTicket or restore a backup"
        }
    }

    /// Applies the connection settings every connection uses.
    static func configure(_ database: Database) throws {
        database.setBusyTimeout(milliseconds: 5000)
        try database.execute("""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=FULL;
            PRAGMA foreign_keys=ON;
            PRAGMA secure_delete=ON;
            PRAGMA temp_store=MEMORY;
            PRAGMA cache_size=-16000;
            """)
    }

    /// Bytes of the database file reader connections map into memory.
    static let readerMmapSize = 256 << 20

    /// Applies the settings of a reader connection on top of ``configure(_:)``: read-only, and pages
    /// read through a memory map. Every commit (each recommendation appends a decision) empties the
    /// page cache of the other connections, so a reader loads its pages again on its next read: mapped,
    /// that is a pointer into the OS page cache instead of a `pread` and a copy per page. Writes are not
    /// affected (SQLite writes through the map only when built to, and these are query-only), nor is
    /// durability.
    static func configureReader(_ database: Database) throws {
        try configure(database)
        try database.execute("PRAGMA query_only=ON; PRAGMA mmap_size=\(readerMmapSize);")
    }

    /// Applies the pending migrations in one transaction; refuses a database from a newer version.
    /// Returns the version before migrating.
    @discardableResult
    static func migrate(_ database: Database) throws -> Int {
        let current = Int(try database.scalar("PRAGMA user_version")?.int ?? 0)
        guard current <= Schema.latestVersion else { throw NewerSchema(found: current, supported: Schema.latestVersion) }
        guard current < Schema.latestVersion else { return current }
        try database.transaction {
            for version in (current + 1)...Schema.latestVersion {
                try database.execute(Schema.migrations[version - 1])
            }
            try database.execute("PRAGMA user_version=\(Schema.latestVersion)")
        }
        return current
    }
}
