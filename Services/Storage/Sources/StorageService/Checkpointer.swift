import Dispatch
import Foundation
import Observability
import Synchronization

/// Keeps the write-ahead log short, and synced, without stalling the writer.
///
/// **Checkpoints.** SQLite's automatic checkpoint runs inside the COMMIT that takes the log past
/// 1,000 pages: that writer copies every page of the log into the database file and syncs it while
/// the writes of its group, and of the groups queued behind it, wait. Under the recommendation load
/// (a decision appended per request) that happened twice a second and stalled the writer 5 to 15
/// ms each time. Here the writer only counts the log after each commit
/// (``writerCommitted(logFrames:)``); past ``threshold`` frames this thread, on its own connection,
/// copies the log while commits go on (a passive checkpoint) and syncs the database file. The
/// writer then copies the few frames committed meanwhile right after its next commit, so the
/// transaction after that finds every frame copied and starts the log over from its beginning:
/// SQLite restarts the log only for a writer that finds it fully copied, and with a steady stream of
/// commits that is rarely the case for a checkpoint run by another connection.
///
/// **Log syncs.** Commits that need not be durable at once (``DatabaseWorker`` runs them with
/// `synchronous=NORMAL`: suggestions, and the skills last detected for each ticket) are synced by
/// this thread within ``logSyncIntervalMilliseconds``, as a later durable commit would sync them
/// anyway.
final class Checkpointer: Sendable {
    /// Frames in the log that start a checkpoint unless told otherwise: SQLite's own default.
    static let defaultThreshold = 1000
    /// The shortest time between two checkpoints: a reader holding an old snapshot keeps the log
    /// from restarting, and the checkpoints it triggers again must not run back to back.
    static let minimumIntervalMilliseconds = 50
    /// The longest a commit stays in the log without being synced to disk (plus one sync's time).
    static let logSyncIntervalMilliseconds = 100

    /// Frames in the log that start a checkpoint.
    let threshold: Int
    private let logger: Logger
    /// A checkpoint is requested or running: the writer signals once per checkpoint.
    private let requested = Atomic<Bool>(false)
    /// The bulk copy is done; the writer's next commit copies the rest.
    private let finishing = Atomic<Bool>(false)
    private let stopping = Atomic<Bool>(false)
    private let completed = Atomic<Int>(0)
    private let commits = Atomic<Int>(0)
    private let frames = Atomic<Int>(0)
    private let synced = Atomic<Int>(0)
    private let wakeUp = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts a checkpointer for the database at `path` on a connection of its own, and hooks it to
    /// `writer`'s commits (the writer's automatic checkpoints stop).
    static func attach(to writer: Database, path: String, threshold: Int = defaultThreshold, logger: Logger) throws -> Checkpointer {
        let connection = try Database(path: path)
        try Migrator.configure(connection)
        // A first read opens the connection's handle on the log, which the log syncs use.
        _ = try connection.scalar("SELECT count(*) FROM sqlite_schema")
        connection.resetStatements()
        let checkpointer = Checkpointer(connection: connection, threshold: threshold, logger: logger)
        writer.afterEachCommit { checkpointer.writerCommitted(logFrames: $0) }
        return checkpointer
    }

    /// Starts the checkpoint thread on `connection` (its own, not the writer's).
    private init(connection: sending Database, threshold: Int, logger: Logger) {
        self.threshold = threshold
        self.logger = logger
        let box = UncheckedBox(connection)
        let thread = Thread { [self] in run(box.value) }
        thread.name = "db-checkpoint"
        thread.start()
    }

    /// Checkpoints the thread has run.
    var checkpointsRun: Int { completed.load(ordering: .relaxed) }

    /// The writer's commits so far, and those of them known synced to disk: every commit once this
    /// thread has synced the log after it (a durable commit is synced before then, by itself).
    var commitsCounted: Int { commits.load(ordering: .acquiring) }
    var commitsSynced: Int { synced.load(ordering: .acquiring) }

    /// Frames in the log after the writer's last commit (0 to start with).
    var logFrames: Int { frames.load(ordering: .relaxed) }

    /// Called by the writer's connection after each commit (``Database/afterEachCommit(_:)``);
    /// returns whether that connection checkpoints now (the few frames left after a bulk copy).
    func writerCommitted(logFrames: Int) -> Bool {
        frames.store(logFrames, ordering: .relaxed)
        commits.add(1, ordering: .releasing)
        if finishing.exchange(false, ordering: .acquiringAndReleasing) { return true }
        if logFrames >= threshold, !requested.exchange(true, ordering: .acquiringAndReleasing) { wakeUp.signal() }
        return false
    }

    /// Ends the thread (after a last sync of the log) and closes its connection; returns when it has.
    func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wakeUp.signal()
        finished.wait()
    }

    private func run(_ connection: Database) {
        while true {
            let signalled = wakeUp.wait(timeout: .now() + .milliseconds(Self.logSyncIntervalMilliseconds)) == .success
            let stop = stopping.load(ordering: .acquiring)
            if signalled && !stop { checkpoint(connection) }
            let committed = commits.load(ordering: .acquiring)
            if committed != synced.load(ordering: .relaxed) {
                do {
                    try connection.syncFile(.log)
                    synced.store(committed, ordering: .releasing)
                } catch {
                    logger.warning("syncing the write-ahead log failed", ["error": .string(String(describing: error))])
                }
            }
            if stop { break }
        }
        connection.close()
        finished.signal()
    }

    /// Copies the log into the database file, syncs it, and copies what was committed meanwhile;
    /// the writer copies the rest after its next commit.
    private func checkpoint(_ connection: Database) {
        let started = DispatchTime.now()
        do {
            try connection.checkpointPassive()
            // Synced here (SQLite syncs only after a checkpoint that copied the whole log), or the
            // writer's checkpoint would sync every page this one wrote.
            try connection.syncFile(.database)
            try connection.checkpointPassive()
            completed.add(1, ordering: .relaxed)
            finishing.store(true, ordering: .releasing)
        } catch {
            logger.warning("checkpoint failed", ["error": .string(String(describing: error))])
        }
        let earliestNext = started + .milliseconds(Self.minimumIntervalMilliseconds)
        if DispatchTime.now() < earliestNext { usleep(UInt32((earliestNext.uptimeNanoseconds - DispatchTime.now().uptimeNanoseconds) / 1000)) }
        requested.store(false, ordering: .releasing)
    }
}
