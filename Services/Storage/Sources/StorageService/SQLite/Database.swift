import CSQLite
import Foundation

/// One SQLite connection. Not thread-safe: each connection is used by one thread at a time.
public final class Database {
    private let handle: OpaquePointer
    private var statements: [String: Statement] = [:]
    /// Statements used since the last ``resetStatements()``; one left mid-result would keep a read
    /// transaction (and its stale snapshot) open.
    private var used: [Statement] = []
    private var closed = false
    /// The commit observer of ``afterEachCommit(_:)``, kept alive for SQLite's callback.
    private var commitObserver: CommitObserver?

    /// Opens (creating if needed, with mode 0600) the database at `path`. SQLite gives the `-wal`,
    /// `-shm` and `-journal` files beside it the database file's mode.
    public init(path: String, readOnly: Bool = false) throws {
        if !readOnly { DatabaseFile.createPrivate(path) }
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let result = sqlite3_open_v2(path, &db, flags, nil)
        guard result == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open database"
            sqlite3_close_v2(db)
            throw SQLiteError(code: result, message: message)
        }
        handle = db
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit { close() }

    /// Finalizes every statement and closes the connection.
    public func close() {
        guard !closed else { return }
        closed = true
        used.removeAll()
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Resets every statement used since the last call, ending any implicit read transaction.
    public func resetStatements() {
        for statement in used { statement.reset() }
        used.removeAll(keepingCapacity: true)
    }

    /// Runs one or more statements without results.
    public func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let result = sqlite3_exec(handle, sql, nil, nil, &error)
        if result != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw SQLiteError(code: result, message: message)
        }
    }

    /// Runs one statement without bindings or results (BEGIN, COMMIT, SAVEPOINT...) from the cache of
    /// prepared statements: `execute` would parse it again on every call.
    public func control(_ sql: String) throws {
        let statement = try cached(sql)
        defer { statement.reset() }
        while try statement.step() {}
    }

    /// A cached prepared statement for `sql`, reset and ready to bind.
    public func prepare(_ sql: String) throws -> Statement {
        let statement = try cached(sql)
        statement.reset()
        used.append(statement)
        return statement
    }

    /// The prepared statement for `sql`, compiled on first use.
    private func cached(_ sql: String) throws -> Statement {
        if let cached = statements[sql] { return cached }
        var statement: OpaquePointer?
        let result = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard result == SQLITE_OK, let statement else { throw SQLiteError(code: result, message: lastMessage) }
        let wrapped = Statement(handle: statement, database: self)
        statements[sql] = wrapped
        return wrapped
    }

    /// Runs `sql` with `bindings` and returns the number of rows changed.
    @discardableResult
    public func run(_ sql: String, _ bindings: [SQLValue] = []) throws -> Int {
        let statement = try prepare(sql)
        try statement.bind(bindings)
        while try statement.step() {}
        return changes
    }

    /// The first column of the first row, if any.
    public func scalar(_ sql: String, _ bindings: [SQLValue] = []) throws -> SQLValue? {
        let statement = try prepare(sql)
        try statement.bind(bindings)
        guard try statement.step() else { return nil }
        return statement.value(0)
    }

    /// Rows changed by the last statement.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// The rowid of the last insert.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Whether a transaction is open.
    public var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Sets the time a statement waits for a lock before failing with SQLITE_BUSY.
    public func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// Runs `body` in a transaction (BEGIN IMMEDIATE for writes): committed if it returns,
    /// rolled back if it throws.
    public func transaction<T>(immediate: Bool = true, _ body: () throws -> T) throws -> T {
        try control(immediate ? "BEGIN IMMEDIATE" : "BEGIN")
        do {
            let result = try body()
            try control("COMMIT")
            return result
        } catch {
            try? control("ROLLBACK")
            throw error
        }
    }

    /// Calls `observer` on the committing thread after each commit of this connection, with the
    /// number of frames in the write-ahead log; when it returns true, a passive checkpoint runs at
    /// once, before the COMMIT returns. Installing an observer turns SQLite's automatic checkpoints
    /// off for this connection (they use the same hook).
    public func afterEachCommit(_ observer: @escaping (_ logFrames: Int) -> Bool) {
        let box = CommitObserver(observer)
        commitObserver = box
        sqlite3_wal_hook(handle, { context, db, name, frames in
            guard let context else { return SQLITE_OK }
            if Unmanaged<CommitObserver>.fromOpaque(context).takeUnretainedValue().observe(Int(frames)) {
                sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            }
            return SQLITE_OK
        }, Unmanaged.passUnretained(box).toOpaque())
    }

    /// Copies the write-ahead log's frames into the database file without waiting for readers or
    /// writers (a frame newer than a reader's snapshot stays for the next checkpoint). Returns the
    /// frames in the log and how many of them are now copied.
    @discardableResult
    public func checkpointPassive() throws -> (logFrames: Int, copiedFrames: Int) {
        var log: Int32 = 0
        var copied: Int32 = 0
        let result = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied)
        guard result == SQLITE_OK else { throw SQLiteError(code: result, message: lastMessage) }
        return (Int(log), Int(copied))
    }

    /// A file of the database: the database file itself, or its write-ahead log.
    public enum File: Sendable {
        case database, log
    }

    /// Syncs `file` to disk through this connection's SQLite handle on it. A checkpoint that did not
    /// copy the whole log leaves the pages it wrote in the database file unsynced; a commit with
    /// `synchronous=NORMAL` leaves its frames in the log unsynced. The log's handle is open once
    /// the connection has read.
    public func syncFile(_ file: File) throws {
        var handle: UnsafeMutablePointer<sqlite3_file>?
        let operation = file == .database ? SQLITE_FCNTL_FILE_POINTER : SQLITE_FCNTL_JOURNAL_POINTER
        let result = sqlite3_file_control(self.handle, "main", operation, &handle)
        guard result == SQLITE_OK, let handle, let sync = handle.pointee.pMethods?.pointee.xSync else {
            throw SQLiteError(code: result == SQLITE_OK ? SQLITE_MISUSE : result, message: "no open \(file) file to sync")
        }
        let synced = sync(handle, SQLITE_SYNC_NORMAL)
        guard synced == SQLITE_OK else { throw SQLiteError(code: synced, message: "syncing the \(file) file failed") }
    }

    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }
}

/// The closure behind ``Database/afterEachCommit(_:)``, passed to SQLite as its context pointer.
private final class CommitObserver {
    let observe: (Int) -> Bool
    init(_ observe: @escaping (Int) -> Bool) { self.observe = observe }
}
