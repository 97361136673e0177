import Foundation
import Harness
import Observability
import Testing
@testable import StorageService

/// The write-ahead log is copied into the database file by the checkpointer's thread, and started
/// over, while the writer keeps committing.
@Suite struct CheckpointerTests {
    /// A writer with a checkpointer at `threshold` frames, in a fresh directory, on a table of rows
    /// about two pages each. ``stop()`` stops both (a test may stop them before its checks);
    /// ``close()`` stops them if need be and removes the directory.
    private struct CheckpointedLog {
        let dir = TemporaryDirectory()
        let writer: DatabaseWorker
        let checkpointer: Checkpointer
        var path: String { dir.file("log.sqlite") }

        init(threshold: Int, logger: Logger = Logger(label: "t", sink: .discard)) throws {
            let path = dir.file("log.sqlite")
            do {
                let database = try Database(path: path)
                try Migrator.configureWriter(database)
                try database.execute("CREATE TABLE log (n INTEGER NOT NULL, payload BLOB NOT NULL)")
                checkpointer = try Checkpointer.attach(to: database, path: path, threshold: threshold, logger: logger)
                writer = DatabaseWorker(name: "test-writer", database: database, transactional: true)
            } catch {
                dir.remove()
                throw error
            }
        }

        func stop() {
            writer.stop()
            checkpointer.stop()
        }

        func close() {
            stop()
            dir.remove()
        }
    }

    private func insert(_ writer: DatabaseWorker, _ n: Int, durable: Bool = true) async throws {
        try await writer.perform(durable: durable) { database in
            _ = try database.run("INSERT INTO log (n, payload) VALUES (?, randomblob(6000))", [.integer(Int64(n))])
        }
    }

    /// Writes keep going until the checkpointer has run three times; by then the log has been started
    /// over (it holds fewer frames than rows were written, at two frames or more each), and every
    /// row is in the database, which passes SQLite's integrity check. No checkpoint failed.
    @Test(.timeLimit(.minutes(2))) func theLogIsCopiedAndStartedOverWhileWritesGoOn() async throws {
        let warnings = Locked<[String]>([])
        let log = try CheckpointedLog(threshold: 32, logger: Logger(label: "t", sink: LogSink { line in warnings.withLock { $0.append(line) } }))
        defer { log.close() }
        let (writer, checkpointer) = (log.writer, log.checkpointer)
        var written = 0
        while checkpointer.checkpointsRun < 3 && written < 20_000 {
            try await insert(writer, written)
            written += 1
        }
        // The writer copies the last frames after its next commit, then starts the log over on the one after.
        for _ in 0..<2 {
            try await insert(writer, written)
            written += 1
        }
        log.stop()
        #expect(checkpointer.checkpointsRun >= 3)
        #expect(warnings.value.isEmpty)
        #expect(checkpointer.logFrames > 0)
        #expect(checkpointer.logFrames < written, "\(checkpointer.logFrames) frames in the log after \(written) rows")

        let reader = try Database(path: log.path, readOnly: true)
        defer { reader.close() }
        #expect(try reader.scalar("SELECT count(*) FROM log")?.int == Int64(written))
        #expect(try reader.scalar("PRAGMA integrity_check")?.string == "ok")
    }

    /// Below the threshold nothing is checkpointed.
    @Test func aShortLogIsLeftAlone() async throws {
        let log = try CheckpointedLog(threshold: 10_000)
        defer { log.close() }
        let (writer, checkpointer) = (log.writer, log.checkpointer)
        for n in 0..<20 { try await insert(writer, n) }
        log.stop()
        #expect(checkpointer.checkpointsRun == 0)
        #expect(checkpointer.logFrames >= 20 * 2)
    }

    /// A write acknowledged before it is synced (not durable) is synced by the checkpointer's thread
    /// soon after: every commit counted is then counted as synced.
    @Test(.timeLimit(.minutes(2))) func commitsThatWereNotSyncedAreSyncedSoonAfter() async throws {
        let log = try CheckpointedLog(threshold: 10_000)
        defer { log.close() }
        let (writer, checkpointer) = (log.writer, log.checkpointer)
        for n in 0..<3 { try await insert(writer, n, durable: false) }
        #expect(checkpointer.commitsCounted == 3)
        while checkpointer.commitsSynced < 3 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(checkpointer.commitsSynced == 3)
    }

    /// A reader holding an old snapshot (a long backup, say) keeps the log from restarting: it grows
    /// meanwhile, with checkpoints at most every ``Checkpointer/minimumIntervalMilliseconds``. Once
    /// the reader is gone the next checkpoints copy everything and the log starts over.
    @Test(.timeLimit(.minutes(2))) func aLongReadDelaysTheRestartOnlyWhileItLasts() async throws {
        let log = try CheckpointedLog(threshold: 32)
        defer { log.close() }
        let (writer, checkpointer) = (log.writer, log.checkpointer)
        try await insert(writer, 0)
        let reader = try Database(path: log.path, readOnly: true)
        try reader.control("BEGIN")
        #expect(try reader.scalar("SELECT count(*) FROM log")?.int == 1)   // the snapshot is taken here

        var written = 1
        let checkpointsBefore = checkpointer.checkpointsRun
        while checkpointer.checkpointsRun < checkpointsBefore + 3 {
            try await insert(writer, written)
            written += 1
        }
        // Two frames or more per row, none of them copied past the reader's snapshot: no restart yet.
        #expect(checkpointer.logFrames >= 2 * (written - 1))
        #expect(try reader.scalar("SELECT count(*) FROM log")?.int == 1)
        reader.resetStatements()
        try reader.control("COMMIT")
        reader.close()

        let grown = checkpointer.logFrames
        let checkpointsAfter = checkpointer.checkpointsRun
        while checkpointer.logFrames >= grown || checkpointer.checkpointsRun <= checkpointsAfter {
            try await insert(writer, written)
            written += 1
        }
        #expect(checkpointer.logFrames < grown)
        let check = try Database(path: log.path, readOnly: true)
        defer { check.close() }
        #expect(try check.scalar("SELECT count(*) FROM log")?.int == Int64(written))
    }
}
