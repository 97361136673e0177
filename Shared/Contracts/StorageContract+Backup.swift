import Foundation
import RPC

/// `storage.v1/Backup`: an online copy of the whole database through SQLite's backup API, taken by
/// the storage process while it keeps serving, and `storage.v1/BackupProgress` to follow it.
/// Not scoped to a tenant: a backup is the whole deployment (the launcher's `smart-ticket backup`).
extension StorageContract {
    public static let backup = Method<BackupRequest, BackupResult>(service: service, method: "Backup")
    public static let backupProgress = Method<Empty, BackupProgress>(service: service, method: "BackupProgress")

    /// Where to write the copy.
    public struct BackupRequest: Codable, Sendable, Equatable {
        /// Absolute path of a file that does not exist yet, in an existing directory that is not the
        /// sockets directory. Written as `<destination>.partial` first, renamed when verified.
        public var destination: String
        /// Pages copied per step (between steps writers proceed); default 256.
        public var pagesPerStep: Int?
        public init(destination: String, pagesPerStep: Int? = nil) {
            self.destination = destination
            self.pagesPerStep = pagesPerStep
        }
    }

    /// A finished, verified backup.
    public struct BackupResult: Codable, Sendable, Equatable {
        public var destination: String
        public var pages: Int
        public var bytes: Int
        /// `PRAGMA user_version` of the copy.
        public var schemaVersion: Int
        /// `PRAGMA integrity_check` of the copy: always "ok" (otherwise the call fails with DATA_LOSS).
        public var integrity: String
        public var seconds: Double
        public init(destination: String, pages: Int, bytes: Int, schemaVersion: Int, integrity: String, seconds: Double) {
            self.destination = destination
            self.pages = pages
            self.bytes = bytes
            self.schemaVersion = schemaVersion
            self.integrity = integrity
            self.seconds = seconds
        }
    }

    /// The backup in progress, if any.
    public struct BackupProgress: Codable, Sendable, Equatable {
        public var running: Bool
        public var pagesDone: Int
        public var pagesTotal: Int
        public init(running: Bool, pagesDone: Int, pagesTotal: Int) {
            self.running = running
            self.pagesDone = pagesDone
            self.pagesTotal = pagesTotal
        }
    }
}
