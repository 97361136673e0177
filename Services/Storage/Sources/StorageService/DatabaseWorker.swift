import Dispatch
import Foundation
import Synchronization

/// A thread that owns one SQLite connection and runs jobs on it, so blocking database work never
/// occupies the cooperative thread pool.
///
/// A writer worker commits in groups: all write jobs waiting when it wakes run in one IMMEDIATE
/// transaction, each inside its own SAVEPOINT (a failing job is rolled back alone), and every job
/// is acknowledged only after COMMIT returns. With `synchronous=FULL` that makes every
/// acknowledged write durable while paying one fsync for many concurrent writers.
final class DatabaseWorker: Sendable {
    private struct Job: Sendable {
        let body: @Sendable (Database) throws -> Void
        let finish: @Sendable (Error?) -> Void
        /// Runs alone, outside any transaction (VACUUM, checkpoints).
        let exclusive: Bool
    }

    private struct Queue {
        var jobs: [Job] = []
        var stopped = false
    }

    private let queue = Mutex(Queue())
    private let wakeUp = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let transactional: Bool

    /// Starts the worker's thread with `database`. With `transactional`, jobs are grouped into
    /// write transactions; otherwise each runs on its own (readers).
    init(name: String, database: sending Database, transactional: Bool) {
        self.transactional = transactional
        let box = UncheckedBox(database)
        let thread = Thread { [self] in run(box.value) }
        thread.name = name
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// Runs `body` on the worker's connection and returns its result.
    func perform<T: Sendable>(exclusive: Bool = false, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let result = UncheckedBox<T?>(nil)
            let job = Job(
                body: { database in result.value = try body(database) },
                finish: { error in
                    if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: result.value!) }
                },
                exclusive: exclusive)
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
        while true {
            wakeUp.wait()
            let (batch, stopped) = queue.withLock { queue -> ([Job], Bool) in
                defer { queue.jobs.removeAll(keepingCapacity: true) }
                return (queue.jobs, queue.stopped)
            }
            var index = 0
            while index < batch.count {
                if batch[index].exclusive || !transactional {
                    runAlone(batch[index], database)
                    index += 1
                    continue
                }
                let group = batch[index...].prefix { !$0.exclusive }
                runGroup(Array(group), database)
                index += group.count
            }
            if stopped && queue.withLock({ $0.jobs.isEmpty }) {
                database.close()
                finished.signal()
                return
            }
        }
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

    private func runGroup(_ jobs: [Job], _ database: Database) {
        do {
            try database.control("BEGIN IMMEDIATE")
        } catch {
            for job in jobs { job.finish(error) }
            return
        }
        var errors = [Error?](repeating: nil, count: jobs.count)
        if jobs.count == 1 {
            // Alone in its transaction, a job needs no savepoint: its failure rolls back everything.
            do {
                try jobs[0].body(database)
            } catch {
                database.resetStatements()
                try? database.control("ROLLBACK")
                jobs[0].finish(error)
                return
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
        }
        database.resetStatements()
        do {
            try database.control("COMMIT")
        } catch {
            try? database.control("ROLLBACK")
            for job in jobs { job.finish(error) }
            return
        }
        for (job, error) in zip(jobs, errors) { job.finish(error) }
    }
}

/// Moves a non-Sendable value to the one thread that uses it from then on.
final class UncheckedBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
