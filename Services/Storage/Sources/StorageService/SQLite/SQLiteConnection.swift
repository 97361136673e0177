import CSQLite
import Foundation

/// One SQLite connection: the SQLite side of ``Database``. Not thread-safe: each connection is used
/// by one thread at a time.
final class SQLiteConnection {
    let handle: OpaquePointer
    private var closed = false
    /// The commit observer of ``afterEachCommit(_:)``, kept alive for SQLite's callback.
    private var commitObserver: CommitObserver?

    /// Opens (creating if needed, with mode 0600) the database at `path`. SQLite gives the `-wal`,
    /// `-shm` and `-journal` files beside it the database file's mode.
    init(path: String, readOnly: Bool) throws {
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

    /// Closes the connection (statements not yet finalized keep it open until they are).
    func close() {
        guard !closed else { return }
        closed = true
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements without results.
    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let result = sqlite3_exec(handle, sql, nil, nil, &error)
        if result != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw SQLiteError(code: result, message: message)
        }
    }

    /// Compiles `sql` into a statement kept for the connection's lifetime.
    func compile(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let result = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard result == SQLITE_OK, let statement else { throw SQLiteError(code: result, message: lastMessage) }
        return SQLiteStatement(handle: statement)
    }

    /// Rows changed by the last statement.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// The rowid of the last insert.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Whether a transaction is open.
    var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Sets the time a statement waits for a lock before failing with SQLITE_BUSY.
    func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// See ``Database/afterEachCommit(_:)``.
    func afterEachCommit(_ observer: @escaping (_ logFrames: Int) -> Bool) {
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

    /// See ``Database/checkpointPassive()``.
    func checkpointPassive() throws -> (logFrames: Int, copiedFrames: Int) {
        var log: Int32 = 0
        var copied: Int32 = 0
        let result = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied)
        guard result == SQLITE_OK else { throw SQLiteError(code: result, message: lastMessage) }
        return (Int(log), Int(copied))
    }

    /// See ``Database/syncFile(_:)``.
    func syncFile(_ file: Database.File) throws {
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
