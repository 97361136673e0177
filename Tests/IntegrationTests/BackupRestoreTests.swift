import Contracts
import Foundation
import Harness
import RPC

import Testing

/// `smart-ticket backup` while writes continue, `smart-ticket restore` into a fresh data directory,
/// and the restored system serves exactly the snapshot the backup took.
@Suite(.serialized) struct BackupRestoreTests {
    static let tenant = Metadata(tenant: "backup")

    /// Tickets of project B in `storage`, by key.
    static func tickets(_ storage: StorageClient) async throws -> [String: Ticket] {
        var tickets: [String: Ticket] = [:]
        var cursor: String?
        repeat {
            let page = try await storage.call(StorageContract.listTickets, .init(project: "B", cursor: cursor, limit: 1000), metadata: tenant)
            for ticket in page.items { tickets[ticket.key] = ticket }
            cursor = page.next
        } while cursor != nil
        return tickets
    }

    static func ticket(_ index: Int) -> Ticket {
        Ticket(key: "B-\(index)", project: "B", title: "ticket \(index) about backups", description: "text \(index)",
               components: ["c\(index % 7)"], created: Date(timeIntervalSince1970: 1_700_000_000 + Double(index)))
    }

    @Test func backupWhileWritingThenRestoreIntoAFreshDataDirectory() async throws {
        let system = try await RunningSystem()
        defer { system.directory.remove() }
        let storage: StorageClient = system.client(.storage)
        defer { storage.close() }
        _ = try await storage.call(StorageContract.putTenant, .init(name: "backup"), metadata: Self.tenant)
        _ = try await storage.call(StorageContract.putProject, Project(key: "B", name: "Backups"), metadata: Self.tenant)
        // An import big enough for the backup to take several steps.
        let imported = 3000
        for start in stride(from: 0, to: imported, by: 500) {
            let response = try await storage.call(StorageContract.putTickets, .init(tickets: (start..<start + 500).map(Self.ticket)), metadata: Self.tenant)
            #expect(response.created == 500)
        }

        // One writer keeps adding tickets in order while the backup runs.
        let acknowledged = Locked(imported)
        let writing = Locked(true)
        let writer = Task {
            var next = imported
            while writing.withLock({ $0 }) {
                let response = try await storage.call(StorageContract.putTickets, .init(tickets: [Self.ticket(next)]), metadata: Self.tenant)
                guard response.created == 1 else { throw SystemError("write \(next) not created") }
                next += 1
                acknowledged.withLock { $0 = next }
            }
        }
        try await Task.sleep(nanoseconds: 100_000_000)
        let before = acknowledged.withLock { $0 }
        let backupFile = system.directory.file("backup.sqlite")
        let backup = try await ProcessRunner.run(Executables.path("smart-ticket"),
                                                 ["backup", "--run-dir", system.runDirectory.path, "--output", backupFile,
                                                  "--pages-per-step", "1"])
        let after = acknowledged.withLock { $0 }
        try await Task.sleep(nanoseconds: 100_000_000)
        writing.withLock { $0 = false }
        try await writer.value
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.stdout.contains("integrity ok"))
        #expect(after > before, "writes continued during the backup")

        // The original system's tickets, and restore refused while it runs.
        let original = try await Self.tickets(storage)
        let refused = try await ProcessRunner.run(Executables.path("smart-ticket"),
                                                  ["restore", "--run-dir", system.runDirectory.path, "--data-dir", system.directory.file("data"), "--input", backupFile])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("running"))
        #expect(await system.stop() == 0)

        // Restore into a fresh data directory and serve it.
        let fresh = TemporaryDirectory(prefix: "restore")
        defer { fresh.remove() }
        try FileManager.default.createDirectory(atPath: fresh.file("data"), withIntermediateDirectories: true)
        let restore = try await ProcessRunner.run(Executables.path("smart-ticket"),
                                                  ["restore", "--run-dir", fresh.file("run"), "--data-dir", fresh.file("data"), "--input", backupFile])
        #expect(restore.status == 0, "\(restore.stderr)")
        // The fresh directory has no signing key: the operator is told that old tokens will fail, and how to keep them.
        #expect(restore.stdout.contains("has no token signing key (jwt-secret) and none is configured"), "\(restore.stdout)")
        #expect(restore.stdout.contains("copy jwt-secret from the old data directory"), "\(restore.stdout)")
        // With the key carried over, nothing is said.
        try FileManager.default.copyItem(atPath: system.directory.file("data/jwt-secret"), toPath: fresh.file("data/jwt-secret"))
        let again = try await ProcessRunner.run(Executables.path("smart-ticket"),
                                                ["restore", "--run-dir", fresh.file("run"), "--data-dir", fresh.file("data"), "--input", backupFile, "--quiet"])
        #expect(again.status == 0 && !again.stdout.contains("signing key"), "\(again.stdout)")
        let restored = try await RunningSystem(extraArguments: ["--data-dir", fresh.file("data")])
        defer { restored.directory.remove() }
        let restoredStorage: StorageClient = restored.client(.storage)
        defer { restoredStorage.close() }
        let copy = try await Self.tickets(restoredStorage)
        await restored.stop()

        // A consistent snapshot: a prefix of the writer's sequence, at least what was acknowledged
        // before the backup started, and every ticket equal to the original's.
        #expect(copy.count >= before)
        #expect(copy.count <= after)
        #expect(Set(copy.keys) == Set((0..<copy.count).map { "B-\($0)" }))
        for (key, ticket) in copy { #expect(original[key] == ticket, "\(key) differs") }
        print("backup/restore: \(imported) imported, \(after - imported) written during the run, backup holds \(copy.count); \(backup.stdout)")
    }

    @Test func backupRefusesBadDestinations() async throws {
        let system = try await RunningSystem()
        defer { system.directory.remove() }
        defer { Task { await system.stop() } }
        let storage: StorageClient = system.client(.storage)
        defer { storage.close() }
        let cases: [(String, RPCError.Code)] = [
            ("relative/backup.sqlite", .invalidArgument),
            ("\(system.runDirectory.socketsPath)/backup.sqlite", .invalidArgument),
            ("\(system.runDirectory.socketsPath)/../sockets/backup.sqlite", .invalidArgument),
            ("\(system.directory.path)/missing/backup.sqlite", .invalidArgument),
            ("\(system.directory.path)/data/smart-ticket.sqlite", .invalidArgument),
            (system.logPath, .alreadyExists),
        ]
        for (destination, code) in cases {
            await #expect(throws: RPCError.self, "\(destination)") {
                do {
                    _ = try await storage.call(StorageContract.backup, .init(destination: destination))
                } catch let error as RPCError {
                    #expect(error.code == code, "\(destination): \(error)")
                    throw error
                }
            }
        }
        let cli = try await ProcessRunner.run(Executables.path("smart-ticket"),
                                              ["backup", "--run-dir", system.runDirectory.path, "--output", system.logPath])
        #expect(cli.status == 1)
        #expect(cli.stderr.contains("already exists"))
        #expect(!FileManager.default.fileExists(atPath: system.logPath + ".partial"))
    }

    @Test func restoreRefusesCorruptAndNewerFilesAndLeavesTheDatabaseAlone() async throws {
        let directory = TemporaryDirectory(prefix: "restore")
        defer { directory.remove() }
        let data = directory.file("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let existing = Data("existing database bytes".utf8)
        FileManager.default.createFile(atPath: "\(data)/smart-ticket.sqlite", contents: existing)
        // Not a database at all.
        FileManager.default.createFile(atPath: directory.file("garbage"), contents: Data(repeating: 0x41, count: 8192))
        // A SQLite file of no SmartTicket schema, and one from a newer SmartTicket.
        _ = try await ProcessRunner.run("/usr/bin/sqlite3", [directory.file("other.sqlite"), "CREATE TABLE t(x); PRAGMA user_version=1;"])
        _ = try await ProcessRunner.run("/usr/bin/sqlite3", [directory.file("newer.sqlite"), "CREATE TABLE tenants(x); PRAGMA user_version=999;"])
        for (input, reason) in [("garbage", "not a SQLite database"), ("other.sqlite", "no table"), ("newer.sqlite", "newer"), ("missing", "cannot open")] {
            let result = try await ProcessRunner.run(Executables.path("smart-ticket"),
                                                     ["restore", "--run-dir", directory.file("run"), "--data-dir", data, "--input", directory.file(input), "--quiet"])
            #expect(result.status == 1, "\(input)")
            #expect(result.stderr.contains(reason), "\(input): \(result.stderr)")
            #expect(FileManager.default.contents(atPath: "\(data)/smart-ticket.sqlite") == existing)
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: data)
        #expect(leftovers == ["smart-ticket.sqlite"])
    }
}
