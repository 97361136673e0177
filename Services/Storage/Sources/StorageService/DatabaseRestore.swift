import Foundation

/// Offline restore of a backup file over a data directory's database: the input is copied next to
/// the database, synced and verified (integrity and schema version), then the stale `-wal`/`-shm`
/// files are removed and the copy renamed over the database. Until the rename nothing of the
/// existing database is touched; a failed check leaves it as it was.
public enum DatabaseRestore {
    /// What was restored.
    public struct Result: Sendable, Equatable {
        public var bytes: Int
        public var schemaVersion: Int
        public var replacedExisting: Bool
    }

    /// Restores `input` as the database at `databasePath`; `progress(done, total)` in bytes copied.
    /// The caller makes sure no SmartTicket process has the database open.
    public static func restore(input: String, databasePath: String, progress: (Int, Int) -> Void = { _, _ in }) throws -> Result {
        let directory = DatabaseFile.directory(of: databasePath)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DatabaseFile.Invalid("data directory \(directory) does not exist")
        }
        if let source = DatabaseFile.resolved(input), let target = DatabaseFile.resolved(databasePath), source == target {
            throw DatabaseFile.Invalid("the input is the database itself")
        }
        let temporary = "\(databasePath).restore-\(getpid())"
        var completed = false
        defer {
            if !completed { for suffix in ["", "-journal", "-wal", "-shm"] { unlink(temporary + suffix) } }
        }
        let bytes = try copyFile(from: input, to: temporary, progress: progress)
        try DatabaseFile.sync(temporary)
        let verified = try DatabaseFile.verify(path: temporary)
        for suffix in ["-journal", "-wal", "-shm"] { unlink(temporary + suffix) }
        let replacing = FileManager.default.fileExists(atPath: databasePath)
        // The old database's write-ahead log must not be replayed onto the restored file.
        for suffix in ["-wal", "-shm", "-journal"] {
            if unlink(databasePath + suffix) != 0 && errno != ENOENT {
                throw DatabaseFile.Invalid("cannot remove \(databasePath)\(suffix) (errno \(errno))")
            }
        }
        guard rename(temporary, databasePath) == 0 else { throw DatabaseFile.Invalid("cannot rename into \(databasePath) (errno \(errno))") }
        completed = true
        try DatabaseFile.sync(directory)
        return Result(bytes: bytes, schemaVersion: verified.schemaVersion, replacedExisting: replacing)
    }

    /// Copies `source` to a new file `destination` (mode 0600) in 1 MiB blocks.
    private static func copyFile(from source: String, to destination: String, progress: (Int, Int) -> Void) throws -> Int {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw DatabaseFile.Invalid("cannot open \(source) (errno \(errno))") }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { throw DatabaseFile.Invalid("\(source) is not a regular file") }
        let total = Int(info.st_size)
        unlink(destination)
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw DatabaseFile.Invalid("cannot create \(destination) (errno \(errno))") }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var done = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw DatabaseFile.Invalid("reading \(source) failed (errno \(errno))") }
            if count == 0 { break }
            var written = 0
            while written < count {
                let result = buffer.withUnsafeBytes { write(output, $0.baseAddress! + written, count - written) }
                if result < 0 && errno == EINTR { continue }
                guard result > 0 else { throw DatabaseFile.Invalid("writing \(destination) failed (errno \(errno))") }
                written += result
            }
            done += count
            progress(done, total)
        }
        return done
    }
}
