import Dispatch
import Foundation
import Synchronization

/// A thread that owns one database connection (SQLite's or PostgreSQL's) and runs jobs on it, so
/// blocking database work never occupies the cooperative thread pool.
///
/// A writer worker commits in groups: all write jobs waiting when it wakes run in one IMMEDIATE
/// transaction, each inside its own SAVEPOINT (a failing job is rolled back alone), and every job
/// is acknowledged only after COMMIT returns. With `synchronous=FULL` that makes every
/// acknowledged write durable while paying one fsync for many concurrent writers. A group of
/// writes that are all non-`durable` (records that can be computed again: suggestions, the skills
/// last detected for each ticket) commits with `synchronous=NORMAL` instead: committed and visible before it is
/// acknowledged, but synced within 100 ms by the ``Checkpointer`` (or by the next durable commit),
/// as PostgreSQL's `synchronous_commit=off` does per transaction. A crash of the process loses
/// nothing; a crash of the machine can lose such records of the last moment, never a durable write.
///
/// While writes keep coming (the previous commit ended less than two commit windows ago), a small
/// group waits up to one ``commitWindow`` for more jobs before it starts: at a steady rate below
/// saturation, jobs otherwise arrive one per commit and each pays its own fsync and WAL frames.
/// An idle writer starts at once, so a lone write gets no added latency. It trades latency for CPU
/// (`storage.commitWindowMicroseconds`, off by default): at 1,000 recommendations per second a 1 ms
/// window saved about 8% of storage CPU per request and added 1.5 ms at p50; near saturation
/// groups form by themselves and it saved nothing.
///
/// **On PostgreSQL** the group is a READ COMMITTED transaction (savepoints work the same), and a
/// group of non-`durable` writes commits with `synchronous_commit` off for that transaction. Other
/// storage instances write to the same database: a group that fails on a conflict with one of them
/// (``PostgresError/isRetryable``: a deadlock, a serialization failure, a key inserted meanwhile)
/// is rolled back and run again, up to ``maxAttempts`` times.
final class DatabaseWorker: Sendable {
    private struct Job: Sendable {
        let body: @Sendable (Database) throws -> Void
        let finish: @Sendable (Error?) -> Void
        /// Runs alone, outside any transaction (VACUUM, checkpoints).
        let exclusive: Bool
        /// Synced to disk before it is acknowledged.
        let durable: Bool
    }

    private struct Queue {
        var jobs: [Job] = []
        var stopped = false
    }

    private let queue = Mutex(Queue())
    private let wakeUp = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let transactional: Bool
    private let commitWindow: Duration
    private let groups = Atomic<Int>(0)

    /// Write transactions (groups) started so far; a write is acknowledged after its group is counted.
    var groupsRun: Int { groups.load(ordering: .relaxed) }

    /// A group that has this many jobs starts without waiting for more.
    static let fullGroup = 32
    /// Runs of a group that conflicts with concurrent writers before its jobs fail (PostgreSQL).
    static let maxAttempts = 5

    /// Starts the worker's thread with `database`. With `transactional`, jobs are grouped into
    /// write transactions, waiting up to `commitWindow` for more under load; otherwise each runs on
    /// its own (readers).
    init(name: String, database: sending Database, transactional: Bool, commitWindow: Duration = .zero) {
        self.transactional = transactional
        self.commitWindow = commitWindow
        let box = UncheckedBox(database)
        let thread = Thread { [self] in run(box.value) }
        thread.name = name
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// Runs `body` on the worker's connection and returns its result; a write that is not `durable`
    /// may be acknowledged before it is synced to disk.
    func perform<T: Sendable>(exclusive: Bool = false, durable: Bool = true,
                              _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let result = UncheckedBox<T?>(nil)
            let job = Job(
                body: { database in result.value = try body(database) },
                finish: { error in
                    if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: result.value!) }
                },
                exclusive: exclusive, durable: durable)
            let accepted = queue.withLock { queue -> Bool in
                guard !queue.stopped else { return false }
                queue.jobs.append(job)
                return true
            }
            if accepted { wakeUp.signal() } else { continuation.resume(throwing: StorageError.stopped) }
        }
    }

    /// Finishes the queued jobs, closes the connection and ends the thread; returns when it has.
    func stop() {
        let first = queue.withLock { queue -> Bool in
            defer { queue.stopped = true }
            return !queue.stopped
        }
        guard first else { return }
        wakeUp.signal()
        finished.wait()
    }

    private func run(_ database: Database) {
        var lastCommit = ContinuousClock.now - .seconds(3600)
        var synchronousFull = true   // the connection's setting (`Migrator.configure`)
        while true {
            wakeUp.wait()
            var (batch, stopped) = takeJobs()
            if transactional, commitWindow > .zero, !stopped, !batch.isEmpty, batch.count < Self.fullGroup,
               !batch.contains(where: \.exclusive), ContinuousClock.now - lastCommit < commitWindow * 2 {
                stopped = waitForMore(&batch)
            }
            var index = 0
            while index < batch.count {
                if batch[index].exclusive || !transactional {
                    do {
                        if transactional { try setSynchronous(full: true, &synchronousFull, database) }
                        runAlone(batch[index], database)
                    } catch {
                        batch[index].finish(error)
                    }
                    index += 1
                    continue
                }
                let group = batch[index...].prefix { !$0.exclusive }
                groups.add(1, ordering: .relaxed)
                let durable = group.contains(where: \.durable)
                do {
                    try setSynchronous(full: durable, &synchronousFull, database)
                    runGroup(Array(group), database, durable: durable)
                } catch {
                    // Only durable writes fail for it; the others just commit with FULL, slower.
                    if durable { for job in group { job.finish(error) } } else { runGroup(Array(group), database, durable: true) }
                }
                lastCommit = .now
                index += group.count
            }
            if stopped && queue.withLock({ $0.jobs.isEmpty }) {
                database.close()
                finished.signal()
                return
            }
        }
    }

    /// Switches the connection between `synchronous=FULL` and `NORMAL` when `current` differs from
    /// `full`. Run by `sqlite3_exec` each time: SQLite applies this pragma when it compiles it.
    /// (PostgreSQL's equivalent is set per transaction: ``Database/beginWrite(durable:)``.)
    private func setSynchronous(full: Bool, _ current: inout Bool, _ database: Database) throws {
        guard full != current, database.engine == .sqlite else { return }
        try database.execute(full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL")
        current = full
    }

    private func takeJobs() -> ([Job], Bool) {
        queue.withLock { queue -> ([Job], Bool) in
            defer { queue.jobs.removeAll(keepingCapacity: true) }
            return (queue.jobs, queue.stopped)
        }
    }

    /// Adds the jobs that arrive within one commit window (or until the group is full) to `batch`;
    /// returns whether the worker was stopped meanwhile.
    private func waitForMore(_ batch: inout [Job]) -> Bool {
        let window = commitWindow.components
        let deadline = DispatchTime.now() + .nanoseconds(Int(window.seconds) * 1_000_000_000 + Int(window.attoseconds / 1_000_000_000))
        while batch.count < Self.fullGroup, wakeUp.wait(timeout: deadline) == .success {
            let (more, stopped) = takeJobs()
            batch += more
            if stopped { return true }
        }
        return false
    }

    private func runAlone(_ job: Job, _ database: Database) {
        do {
            try job.body(database)
            database.resetStatements()
            job.finish(nil)
        } catch {
            database.resetStatements()
            if database.inTransaction { try? database.control("ROLLBACK") }
            job.finish(error)
        }
    }

    /// Runs `jobs` in one transaction and acknowledges each; runs them again when the transaction
    /// conflicted with another storage instance's (PostgreSQL), with a short random pause.
    private func runGroup(_ jobs: [Job], _ database: Database, durable: Bool) {
        var attempt = 1
        while true {
            switch attemptGroup(jobs, database, durable: durable) {
            case .committed(let errors):
                for (job, error) in zip(jobs, errors) { job.finish(error) }
                return
            case .failed(let error):
                if attempt < Self.maxAttempts, (error as? PostgresError)?.isRetryable == true {
                    usleep(UInt32.random(in: 1_000...5_000) * UInt32(attempt))
                    attempt += 1
                    continue
                }
                for job in jobs { job.finish(error) }
                return
            }
        }
    }

    private enum GroupOutcome {
        /// Committed; each job's own error (a job that failed was rolled back alone).
        case committed([Error?])
        /// Nothing committed: every job fails with this error, unless the group runs again.
        case failed(Error)
    }

    private func attemptGroup(_ jobs: [Job], _ database: Database, durable: Bool) -> GroupOutcome {
        do {
            try database.beginWrite(durable: durable)
        } catch {
            if database.inTransaction { try? database.control("ROLLBACK") }
            return .failed(error)
        }
        var errors = [Error?](repeating: nil, count: jobs.count)
        if jobs.count == 1 {
            // Alone in its transaction, a job needs no savepoint: its failure rolls back everything.
            do {
                try jobs[0].body(database)
            } catch {
                database.resetStatements()
                try? database.control("ROLLBACK")
                return .failed(error)
            }
        } else {
            for (offset, job) in jobs.enumerated() {
                do {
                    try database.control("SAVEPOINT job")
                    do {
                        try job.body(database)
                        try database.control("RELEASE job")
                    } catch {
                        try database.control("ROLLBACK TO job")
                        try database.control("RELEASE job")
                        errors[offset] = error
                    }
                } catch {
                    errors[offset] = error
                }
            }
            // A conflict with another writer may go away when the whole group runs again.
            if let conflict = errors.first(where: { ($0 as? PostgresError)?.isRetryable == true }) {
                database.resetStatements()
                try? database.control("ROLLBACK")
                return .failed(conflict!)
            }
        }
        database.resetStatements()
        do {
            try database.control("COMMIT")
        } catch {
            try? database.control("ROLLBACK")
            return .failed(error)
        }
        return .committed(errors)
    }
}

/// Moves a non-Sendable value to the one thread that uses it from then on.
final class UncheckedBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
