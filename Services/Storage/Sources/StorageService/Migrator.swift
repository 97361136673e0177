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

    /// Bytes of the database file a connection maps into memory to read pages: none.
    ///
    /// In WAL mode every commit (each recommendation appends a decision) makes the next read
    /// transaction of every other connection drop its page cache *and* unmap the whole file
    /// (`munmap` of the mapped range, TLB shoot-downs, then a page fault per page touched again). Under
    /// load that cost more than the `pread` of the few pages a point read needs: with the file mapped,
    /// `munmap` and page faults were 9% of the storage process's CPU in the recommendation load run,
    /// and turning the map off lowered storage CPU per request (0.42 to 0.37 ms, and 0.49 to 0.46 ms
    /// in a second pair of runs).
    static let mmapSize = 0
    /// The writer's page cache, in KiB (negative: `cache_size` counts KiB).
    static let writerCacheKiB = 4000

    /// Applies the connection settings every connection uses: WAL with `synchronous=FULL` (a commit
    /// is answered after its fsync; the writer lowers it for writes that need not be, see
    /// ``DatabaseWorker``), foreign keys, secure delete, and no memory map (``mmapSize``).
    static func configure(_ database: Database) throws {
        database.setBusyTimeout(milliseconds: 5000)
        try database.execute("""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=FULL;
            PRAGMA foreign_keys=ON;
            PRAGMA secure_delete=ON;
            PRAGMA temp_store=MEMORY;
            PRAGMA cache_size=-16000;
            PRAGMA mmap_size=\(mmapSize);
            """)
    }

    /// ``configure(_:)`` for the writer connection, with a smaller page cache: at every COMMIT SQLite
    /// walks the whole hash table of the cache (which grows with it, up to 16 MB of pages after an
    /// import), and the pages it drops are read again from the OS page cache.
    static func configureWriter(_ database: Database) throws {
        try configure(database)
        try database.execute("PRAGMA cache_size=-\(writerCacheKiB)")
    }

    /// ``configure(_:)`` for a reader connection: query-only.
    static func configureReader(_ database: Database) throws {
        try configure(database)
        try database.execute("PRAGMA query_only=ON")
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
