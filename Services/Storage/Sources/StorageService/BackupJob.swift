import CSQLite
import Contracts
import Foundation
import Lifecycle
import RPC
import Synchronization

/// `storage.v1/Backup`: copies the live SQLite database with SQLite's online backup API on a thread of its
/// own, from one read snapshot (writers keep committing meanwhile), into `<destination>.partial`;
/// checks the copy with `PRAGMA integrity_check`, syncs it and renames it into place.
/// One backup runs at a time; `storage.v1/BackupProgress` reports the pages copied so far.
public final class BackupJob: Sendable {
    private struct Progress {
        var running = false
        var done = 0
        var total = 0
    }

    private let databasePath: String
    /// Directories a backup may not be written into (the sockets directory).
    private let forbiddenDirectories: [String]
    private let progress = Mutex(Progress())

    public init(databasePath: String, forbiddenDirectories: [String]) {
        self.databasePath = databasePath
        self.forbiddenDirectories = forbiddenDirectories
    }

    /// `router` with the backup methods added, for the storage service set up by `setup`.
    public static func adding(to router: Router, store: Store, setup: ServiceRunner.Setup) -> Router {
        var forbidden = [RunDirectory(path: setup.configuration.runDir).socketsPath]
        if let socket = setup.arguments["socket"] { forbidden.append(DatabaseFile.directory(of: socket)) }
        return adding(to: router, store: store, forbiddenDirectories: forbidden)
    }

    /// What `storage.v1/Backup` answers on PostgreSQL: this copy is of a SQLite file; a PostgreSQL
    /// database is backed up with the operator's tools, which several storage instances don't get in the way of.
    static let postgresRefusal = RPCError(.failedPrecondition, """
        storage runs on PostgreSQL: back the database up with pg_dump (for example pg_dump --format=custom \
        --file=smart-ticket.dump) and restore it with pg_restore
        """)

    /// `router` with the backup methods added for `store`: on PostgreSQL, Backup answers
    /// FAILED_PRECONDITION (``postgresRefusal``) and BackupProgress reports no backup.
    public static func adding(to router: Router, store: Store, forbiddenDirectories forbidden: [String]) -> Router {
        var router = router
        guard let databasePath = store.databasePath else {
            router.registerAsync(StorageContract.backup) { _, _ in throw postgresRefusal }
            router.registerBlocking(StorageContract.backupProgress) { _, _ in .init(running: false, pagesDone: 0, pagesTotal: 0) }
            return router
        }
        let job = BackupJob(databasePath: databasePath, forbiddenDirectories: forbidden)
        router.registerAsync(StorageContract.backup) { request, context in
            context.logger.info("backup started")
            let result = try await job.run(request)
            context.logger.info("backup finished", ["pages": .int(result.pages), "seconds": .double(result.seconds)])
            return result
        }
        router.registerBlocking(StorageContract.backupProgress) { _, _ in job.currentProgress }
        return router
    }

    /// The backup in progress (or the last one's final counts).
    public var currentProgress: StorageContract.BackupProgress {
        progress.withLock { .init(running: $0.running, pagesDone: $0.done, pagesTotal: $0.total) }
    }

    /// Validates the request, then runs the copy on a dedicated thread.
    public func run(_ request: StorageContract.BackupRequest) async throws -> StorageContract.BackupResult {
        let destination = try validatedDestination(request.destination)
        let pagesPerStep = request.pagesPerStep ?? 256
        guard (1...100_000).contains(pagesPerStep) else { throw RPCError.invalidArgument("pagesPerStep must be between 1 and 100000") }
        let started = progress.withLock { state -> Bool in
            guard !state.running else { return false }
            state = Progress(running: true, done: 0, total: 0)
            return true
        }
        guard started else { throw RPCError(.aborted, "a backup is already running") }
        let source = databasePath
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { [self] in
                let start = Date()
                do {
                    let result = try copy(from: source, to: destination, pagesPerStep: pagesPerStep, start: start)
                    progress.withLock { $0.running = false }
                    continuation.resume(returning: result)
                } catch {
                    progress.withLock { $0.running = false }
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "backup"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// The destination as an absolute path with its directory resolved; INVALID_ARGUMENT naming
    /// `destination` unless it is absolute, in an existing directory outside the sockets directory,
    /// not the database itself, and not already there.
    func validatedDestination(_ path: String) throws -> String {
        guard path.hasPrefix("/"), !path.contains("\0"), !path.hasSuffix("/") else {
            throw RPCError.invalidArgument("destination must be an absolute file path")
        }
        let name = (path as NSString).lastPathComponent
        guard !name.isEmpty, name != ".", name != ".." else { throw RPCError.invalidArgument("destination must name a file") }
        guard let directory = DatabaseFile.resolved(DatabaseFile.directory(of: path)) else {
            throw RPCError.invalidArgument("destination directory does not exist")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RPCError.invalidArgument("destination directory is not a directory")
        }
        for forbidden in forbiddenDirectories {
            let resolved = DatabaseFile.resolved(forbidden) ?? forbidden
            if DatabaseFile.isInside(directory, resolved) {
                throw RPCError.invalidArgument("destination may not be inside the sockets directory")
            }
        }
        let full = directory == "/" ? "/" + name : directory + "/" + name
        let database = DatabaseFile.resolved(databasePath) ?? databasePath
        if [database, database + "-wal", database + "-shm", database + "-journal"].contains(full) {
            throw RPCError.invalidArgument("destination may not be the live database")
        }
        var info = stat()
        if lstat(full, &info) == 0 { throw RPCError(.alreadyExists, "destination already exists") }
        return full
    }

    /// The copy itself (blocking; runs on the backup thread).
    private func copy(from source: String, to destination: String, pagesPerStep: Int, start: Date) throws -> StorageContract.BackupResult {
        let partial = destination + ".partial"
        unlink(partial)
        // The copy holds every tenant's data: created 0600 before SQLite opens it (its journal follows).
        DatabaseFile.createPrivate(partial)
        var completed = false
        defer { if !completed { unlink(partial) } }
        try SQLiteHandle.withPair(source: source, destination: partial) { src, dst in
            // One read transaction for the whole copy: every step reads the same snapshot, and in WAL
            // mode writers keep committing without restarting the backup.
            try SQLiteHandle.exec(src, "BEGIN; SELECT count(*) FROM sqlite_master;")
            defer { try? SQLiteHandle.exec(src, "COMMIT") }
            guard let backup = sqlite3_backup_init(dst, "main", src, "main") else {
                throw RPCError.internalError("backup could not start: \(String(cString: sqlite3_errmsg(dst)))")
            }
            var result: Int32 = SQLITE_OK
            repeat {
                result = sqlite3_backup_step(backup, Int32(pagesPerStep))
                let total = Int(sqlite3_backup_pagecount(backup))
                let done = total - Int(sqlite3_backup_remaining(backup))
                progress.withLock { $0.done = done; $0.total = total }
                if result == SQLITE_BUSY || result == SQLITE_LOCKED { usleep(5_000) }
            } while result == SQLITE_OK || result == SQLITE_BUSY || result == SQLITE_LOCKED
            let finish = sqlite3_backup_finish(backup)
            guard result == SQLITE_DONE, finish == SQLITE_OK else {
                throw RPCError.internalError("backup failed: \(String(cString: sqlite3_errmsg(dst)))")
            }
            // A self-contained file: no -wal beside it is needed to read it.
            try SQLiteHandle.exec(dst, "PRAGMA journal_mode=DELETE")
        }
        let verified: DatabaseFile.Verified
        do {
            verified = try DatabaseFile.verify(path: partial)
        } catch {
            throw RPCError(.dataLoss, "the copy failed verification: \(error)")
        }
        try DatabaseFile.sync(partial)
        guard rename(partial, destination) == 0 else { throw RPCError.internalError("cannot rename the copy into place (errno \(errno))") }
        try DatabaseFile.sync(DatabaseFile.directory(of: destination))
        completed = true
        var info = stat()
        let bytes = stat(destination, &info) == 0 ? Int(info.st_size) : verified.pages * verified.pageSize
        return .init(destination: destination, pages: verified.pages, bytes: bytes, schemaVersion: verified.schemaVersion,
                     integrity: verified.integrity, seconds: Date().timeIntervalSince(start))
    }
}

/// Raw SQLite connections for the backup API (which needs two handles at once).
enum SQLiteHandle {
    /// Opens `source` read-only and `destination` read-write (created), runs `body`, closes both.
    static func withPair(source: String, destination: String, _ body: (OpaquePointer, OpaquePointer) throws -> Void) throws {
        var src: OpaquePointer?
        guard sqlite3_open_v2(source, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let src else {
            sqlite3_close_v2(src)
            throw RPCError.internalError("cannot open the database for backup")
        }
        defer { sqlite3_close_v2(src) }
        sqlite3_busy_timeout(src, 5000)
        var dst: OpaquePointer?
        guard sqlite3_open_v2(destination, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let dst else {
            sqlite3_close_v2(dst)
            throw RPCError.invalidArgument("destination cannot be created")
        }
        defer { sqlite3_close_v2(dst) }
        try body(src, dst)
    }

    static func exec(_ handle: OpaquePointer, _ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &error) == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(error)
            throw RPCError.internalError("backup: \(message)")
        }
    }
}
