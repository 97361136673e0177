import Foundation

/// One database connection, SQLite's or PostgreSQL's: what the store's SQL runs on. Not
/// thread-safe: each connection is used by one thread at a time.
///
/// Statements are written once for both engines, with `?` (or `?N`) parameters, which the
/// PostgreSQL side rewrites to `$n`. What only one engine has (PRAGMAs and checkpoints, or
/// PostgreSQL's session settings) is asked for with ``engine``.
public final class Database {
    enum Connection {
        case sqlite(SQLiteConnection)
        case postgres(PostgresConnection)
    }

    let connection: Connection
    private var statements: [String: Statement] = [:]
    /// Statements used since the last ``resetStatements()``; one left mid-result would keep a read
    /// transaction (and its stale snapshot) open on SQLite, and its rows in memory on PostgreSQL.
    private var used: [Statement] = []
    private var closed = false

    /// Opens (creating if needed, with mode 0600) the SQLite database at `path`. SQLite gives the
    /// `-wal`, `-shm` and `-journal` files beside it the database file's mode.
    public convenience init(path: String, readOnly: Bool = false) throws {
        self.init(.sqlite(try SQLiteConnection(path: path, readOnly: readOnly)))
    }

    /// Connects to PostgreSQL with `parameters`.
    convenience init(postgres parameters: PostgresParameters) throws {
        self.init(.postgres(try PostgresConnection(parameters)))
    }

    init(_ connection: Connection) { self.connection = connection }

    deinit { close() }

    /// The engine of this connection.
    public var engine: DatabaseEngine {
        if case .sqlite = connection { return .sqlite } else { return .postgres }
    }

    /// Finalizes every statement and closes the connection.
    public func close() {
        guard !closed else { return }
        closed = true
        used.removeAll()
        statements.removeAll()
        switch connection {
        case .sqlite(let sqlite): sqlite.close()
        case .postgres(let postgres): postgres.close()
        }
    }

    /// Resets every statement used since the last call, ending any implicit read transaction.
    public func resetStatements() {
        for statement in used { statement.reset() }
        used.removeAll(keepingCapacity: true)
    }

    /// Runs one or more statements without bindings or results.
    public func execute(_ sql: String) throws {
        switch connection {
        case .sqlite(let sqlite): try sqlite.execute(sql)
        case .postgres(let postgres): try postgres.execute(sql)
        }
    }

    /// Runs one statement without bindings or results (BEGIN, COMMIT, SAVEPOINT...): on SQLite from
    /// the cache of prepared statements (`execute` would parse it again on every call).
    public func control(_ sql: String) throws {
        switch connection {
        case .sqlite:
            let statement = try cached(sql)
            defer { statement.reset() }
            while try statement.step() {}
        case .postgres(let postgres):
            try postgres.execute(sql)
        }
    }

    /// A cached prepared statement for `sql`, reset and ready to bind.
    public func prepare(_ sql: String) throws -> Statement {
        let statement = try cached(sql)
        statement.reset()
        used.append(statement)
        return statement
    }

    /// The prepared statement for `sql`, compiled on first use (on PostgreSQL, prepared on the server
    /// when it first runs, and again after a reconnection).
    private func cached(_ sql: String) throws -> Statement {
        if let cached = statements[sql] { return cached }
        let statement: Statement
        switch connection {
        case .sqlite(let sqlite): statement = Statement(.sqlite(try sqlite.compile(sql)))
        case .postgres(let postgres): statement = Statement(.postgres(PostgresStatement(connection: postgres, sql: sql)))
        }
        statements[sql] = statement
        return statement
    }

    /// Runs `sql` with `bindings` and returns the number of rows changed.
    @discardableResult
    public func run(_ sql: String, _ bindings: [SQLValue] = []) throws -> Int {
        let statement = try prepare(sql)
        try statement.bind(bindings)
        while try statement.step() {}
        return changes
    }

    /// Runs the INSERT `sql` with `bindings` and returns the generated `column` of the new row (SQLite's
    /// rowid, which that column is; on PostgreSQL with `RETURNING`).
    public func insert(_ sql: String, _ bindings: [SQLValue], returning column: String) throws -> Int64 {
        switch connection {
        case .sqlite(let sqlite):
            try run(sql, bindings)
            return sqlite.lastInsertRowID
        case .postgres:
            let statement = try prepare(sql + " RETURNING " + column)
            try statement.bind(bindings)
            guard try statement.step() else { throw PostgresError(sqlState: nil, message: "INSERT returned no row") }
            return statement.int(0)
        }
    }

    /// The first column of the first row, if any. The statement is reset after it: a cached statement left in the
    /// middle of its rows would keep its read open (SQLite then refuses to drop an index, and cannot checkpoint past it).
    public func scalar(_ sql: String, _ bindings: [SQLValue] = []) throws -> SQLValue? {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(bindings)
        guard try statement.step() else { return nil }
        return statement.value(0)
    }

    /// Rows changed by the last statement.
    public var changes: Int {
        switch connection {
        case .sqlite(let sqlite): return sqlite.changes
        case .postgres(let postgres): return postgres.lastChanges
        }
    }

    /// Whether a transaction is open.
    public var inTransaction: Bool {
        switch connection {
        case .sqlite(let sqlite): return sqlite.inTransaction
        case .postgres(let postgres): return postgres.inTransaction
        }
    }

    /// Starts a write transaction: BEGIN IMMEDIATE on SQLite (the write lock now, not at the first
    /// write); on PostgreSQL a READ COMMITTED transaction, which commits without waiting for its
    /// WAL flush unless `durable` (as SQLite's writer does with `synchronous=NORMAL`).
    func beginWrite(durable: Bool = true) throws {
        switch connection {
        case .sqlite: try control("BEGIN IMMEDIATE")
        case .postgres(let postgres):
            try postgres.execute(durable ? "BEGIN" : "BEGIN; SET LOCAL synchronous_commit TO off")
        }
    }

    /// Runs `body` in a write transaction (``beginWrite(durable:)``): committed if it returns, rolled
    /// back if it throws. `immediate: false` starts a deferred transaction on SQLite.
    public func transaction<T>(immediate: Bool = true, _ body: () throws -> T) throws -> T {
        if immediate || engine == .postgres { try beginWrite() } else { try control("BEGIN") }
        do {
            let result = try body()
            try control("COMMIT")
            return result
        } catch {
            resetStatements()
            try? control("ROLLBACK")
            throw error
        }
    }

    /// The SQLite connection; only for what exists on SQLite alone (checkpoints, file syncs).
    var sqlite: SQLiteConnection {
        guard case .sqlite(let sqlite) = connection else { preconditionFailure("a SQLite-only operation on a PostgreSQL connection") }
        return sqlite
    }
}
