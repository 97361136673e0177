import Foundation
import Harness
import Testing
@testable import StorageService

/// The writer's group commit and its commit window.
@Suite struct DatabaseWorkerTests {
    private func writer(_ dir: TemporaryDirectory, window: Duration) throws -> DatabaseWorker {
        let database = try Database(path: dir.file("worker.sqlite"))
        try Migrator.configureWriter(database)
        try database.execute("CREATE TABLE log (n INTEGER NOT NULL)")
        return DatabaseWorker(name: "test-writer", database: database, transactional: true, commitWindow: window)
    }

    private func insert(_ worker: DatabaseWorker, _ n: Int) async throws {
        try await worker.perform { database in _ = try database.run("INSERT INTO log (n) VALUES (?)", [.integer(Int64(n))]) }
    }

    private func count(_ worker: DatabaseWorker) async throws -> Int64 {
        try await worker.perform { database in try database.scalar("SELECT count(*) FROM log")?.int ?? -1 }
    }

    /// Right after a commit, a write waits (here up to ten minutes) for more writes until the group
    /// is full, and they all share one transaction; an idle writer starts at once (were it to wait,
    /// the first write would take the whole window and the time limit would fail the test).
    @Test(.timeLimit(.minutes(2))) func writesArrivingWithinTheWindowShareOneCommit() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let worker = try writer(dir, window: .seconds(600))
        defer { worker.stop() }
        try await insert(worker, 0)
        #expect(worker.groupsRun == 1)

        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 1...DatabaseWorker.fullGroup { group.addTask { try await insert(worker, n) } }
            try await group.waitForAll()
        }
        #expect(worker.groupsRun == 2)
        // Every write acknowledged was committed.
        let reader = try Database(path: dir.file("worker.sqlite"), readOnly: true)
        defer { reader.close() }
        #expect(try reader.scalar("SELECT count(*) FROM log")?.int == Int64(DatabaseWorker.fullGroup + 1))
    }

    /// Without a window each wake-up commits what has queued, so sequential writes commit one by one.
    @Test func withoutAWindowSequentialWritesCommitOneByOne() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let worker = try writer(dir, window: .zero)
        defer { worker.stop() }
        for n in 0..<5 { try await insert(worker, n) }
        #expect(worker.groupsRun == 5)
        #expect(try await count(worker) == 5)
    }

    /// Stopping a writer that waits for more writes commits what it holds and ends.
    @Test(.timeLimit(.minutes(2))) func stoppingDuringTheWindowCommitsTheWaitingWrites() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let worker = try writer(dir, window: .seconds(600))
        try await insert(worker, 0)
        let waiting = Task { try await insert(worker, 1) }
        // The second write waits in the window (its group is not full); stop ends the wait.
        try await Task.sleep(for: .milliseconds(50))
        worker.stop()
        try await waiting.value
        let reader = try Database(path: dir.file("worker.sqlite"), readOnly: true)
        defer { reader.close() }
        #expect(try reader.scalar("SELECT count(*) FROM log")?.int == 2)
    }

    /// A group of writes that are all not durable commits with `synchronous=NORMAL` (1); a group
    /// with one durable write, and exclusive jobs, with FULL (2), the connection's setting.
    @Test(.timeLimit(.minutes(2))) func onlyGroupsWithoutDurableWritesSkipTheSync() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let level: @Sendable (Database) throws -> Int64 = { database in
            _ = try database.run("INSERT INTO log (n) VALUES (1)")
            return try database.scalar("PRAGMA synchronous")?.int ?? -1
        }
        let worker = try writer(dir, window: .zero)
        #expect(try await worker.perform(durable: false, level) == 1)
        #expect(try await worker.perform(durable: true, level) == 2)
        #expect(try await worker.perform(durable: false, level) == 1)
        #expect(try await worker.perform(exclusive: true) { database in try database.scalar("PRAGMA synchronous")?.int } == 2)
        worker.stop()

        // Right after a commit the window gathers a full group: one durable write makes it FULL for all.
        let grouping = try DatabaseWorker(name: "test-writer", database: { () throws -> sending Database in
            let database = try Database(path: dir.file("worker.sqlite"))
            try Migrator.configureWriter(database)
            return database
        }(), transactional: true, commitWindow: .seconds(600))
        defer { grouping.stop() }
        _ = try await grouping.perform(durable: false, level)
        let levels = try await withThrowingTaskGroup(of: Int64.self) { group in
            for n in 0..<DatabaseWorker.fullGroup { group.addTask { try await grouping.perform(durable: n == 7, level) } }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(grouping.groupsRun == 2)
        #expect(levels == [Int64](repeating: 2, count: DatabaseWorker.fullGroup))
    }
}
