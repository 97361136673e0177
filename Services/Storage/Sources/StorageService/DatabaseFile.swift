import CSQLite
import Foundation

/// Checks and durable file operations on whole database files (backups and restores).
public enum DatabaseFile {
    /// Why a file is not a usable SmartTicket database.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// What ``verify(path:)`` found.
    public struct Verified: Sendable, Equatable {
        public var schemaVersion: Int
        public var integrity: String
        public var pages: Int
        public var pageSize: Int
    }

    /// Opens `path` and checks that it is a SmartTicket database this version can run:
    /// `PRAGMA integrity_check` says "ok", the schema version is between 1 and the latest known,
    /// and the core tables are there. Throws ``Invalid`` saying what is wrong.
    public static func verify(path: String) throws -> Verified {
        guard FileManager.default.fileExists(atPath: path) else { throw Invalid("\(path) does not exist") }
        let database: Database
        do {
            database = try Database(path: path)
        } catch {
            throw Invalid("\(path) cannot be opened as a SQLite database")
        }
        defer { database.close() }
        let integrity: String
        do {
            integrity = try database.scalar("PRAGMA integrity_check")?.string ?? "no answer"
        } catch {
            throw Invalid("\(path) is not a SQLite database (\(error))")
        }
        guard integrity == "ok" else { throw Invalid("\(path) fails the integrity check: \(integrity.prefix(200))") }
        let version = Int(try database.scalar("PRAGMA user_version")?.int ?? 0)
        guard version >= 1 else { throw Invalid("\(path) is not a SmartTicket database (schema version 0)") }
        guard version <= Schema.latestVersion else {
            throw Invalid("\(path) has schema version \(version), newer than this SmartTicket supports (\(Schema.latestVersion))")
        }
        for table in ["tenants", "projects", "people", "tickets", "decisions"] {
            guard try database.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(table)]) != nil else {
                throw Invalid("\(path) is not a SmartTicket database (no table \(table))")
            }
        }
        let pages = Int(try database.scalar("PRAGMA page_count")?.int ?? 0)
        let pageSize = Int(try database.scalar("PRAGMA page_size")?.int ?? 0)
        return Verified(schemaVersion: version, integrity: integrity, pages: pages, pageSize: pageSize)
    }

    /// Creates `path` empty with mode 0600 unless it exists, so that SQLite, which would create it
    /// 0644 (less the umask), opens a file only its owner can read. SQLite creates the `-wal`,
    /// `-shm` and `-journal` files with the mode of the database file, so they are 0600 too.
    /// (`:memory:` and the empty path, SQLite's temporary databases, are left alone.) When the file
    /// cannot be created (no such directory, no permission), SQLite's open that follows says so.
    static func createPrivate(_ path: String) {
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file:") else { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return }
        // The umask can only take bits away from 0600; make sure the owner can read and write.
        fchmod(fd, 0o600)
        close(fd)
    }

    /// Takes the group and other permission bits off `path` if it has any; true when it changed.
    @discardableResult
    static func restrictToOwner(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_mode & 0o077 != 0 else { return false }
        return chmod(path, 0o600) == 0
    }

    /// Flushes `path` (a file or a directory) to stable storage.
    public static func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Invalid("cannot open \(path) to sync it (errno \(errno))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw Invalid("fsync \(path) failed (errno \(errno))") }
    }

    /// The directory part of `path`.
    static func directory(of path: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }

    /// `path` with symbolic links and `..` resolved, if it exists.
    static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// Whether `path` is `directory` or inside it (both already resolved).
    static func isInside(_ path: String, _ directory: String) -> Bool {
        path == directory || path.hasPrefix(directory.hasSuffix("/") ? directory : directory + "/")
    }
}
