import Foundation

/// What only a SQLite connection does: busy timeouts, the commit hook, checkpoints and file syncs.
extension Database {
    /// Sets the time a statement waits for a lock before failing with SQLITE_BUSY.
    public func setBusyTimeout(milliseconds: Int32) {
        sqlite.setBusyTimeout(milliseconds: milliseconds)
    }

    /// The rowid of the last insert.
    public var lastInsertRowID: Int64 { sqlite.lastInsertRowID }

    /// Calls `observer` on the committing thread after each commit of this connection, with the
    /// number of frames in the write-ahead log; when it returns true, a passive checkpoint runs at
    /// once, before the COMMIT returns. Installing an observer turns SQLite's automatic checkpoints
    /// off for this connection (they use the same hook).
    public func afterEachCommit(_ observer: @escaping (_ logFrames: Int) -> Bool) {
        sqlite.afterEachCommit(observer)
    }

    /// Copies the write-ahead log's frames into the database file without waiting for readers or
    /// writers (a frame newer than a reader's snapshot stays for the next checkpoint). Returns the
    /// frames in the log and how many of them are now copied.
    @discardableResult
    public func checkpointPassive() throws -> (logFrames: Int, copiedFrames: Int) {
        try sqlite.checkpointPassive()
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
        try sqlite.syncFile(file)
    }
}
