import Contracts
import Foundation
import Harness
import Observability
import RPC
import Testing
@testable import StorageService

/// The online backup and the offline restore against real database files, in-process.
@Suite struct BackupJobTests {
    static func ticket(_ index: Int) -> Ticket {
        Ticket(key: "B-\(index)", project: "B", title: "ticket \(index)", created: Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test func backupCopiesEveryPageAndReportsProgress() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.file("live.sqlite"), logger: Logger(label: "t", sink: .discard))
        defer { store.close() }
        _ = try await store.putTenant("acme", .init(name: "Acme"))
        _ = try await store.putTickets("acme", .init(tickets: (0..<500).map(Self.ticket), createMissingProjects: true))
        let job = BackupJob(databasePath: dir.file("live.sqlite"), forbiddenDirectories: [dir.file("sockets")])
        let result = try await job.run(.init(destination: dir.file("copy.sqlite"), pagesPerStep: 1))
        #expect(result.integrity == "ok")
        #expect(result.schemaVersion == Schema.latestVersion)
        #expect(result.pages > 1)
        #expect(job.currentProgress == .init(running: false, pagesDone: result.pages, pagesTotal: result.pages))
        #expect(!FileManager.default.fileExists(atPath: dir.file("copy.sqlite.partial")))
        let copy = try Store(path: dir.file("copy.sqlite"), logger: Logger(label: "t", sink: .discard))
        defer { copy.close() }
        let page = try await copy.listTickets("acme", .init(limit: 1000))
        #expect(page.items.count == 500)
    }

    @Test func destinationsOutsideTheRulesAreRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.file("sockets/inner"), withIntermediateDirectories: true)
        // A symbolic link that leads into the sockets directory is resolved, then refused.
        try FileManager.default.createSymbolicLink(atPath: dir.file("innocent"), withDestinationPath: dir.file("sockets/inner"))
        FileManager.default.createFile(atPath: dir.file("exists"), contents: Data())
        let job = BackupJob(databasePath: dir.file("live.sqlite"), forbiddenDirectories: [dir.file("sockets")])
        for (path, code) in [(dir.file("innocent/b.sqlite"), RPCError.Code.invalidArgument), (dir.file("sockets/b.sqlite"), .invalidArgument),
                             ("b.sqlite", .invalidArgument), (dir.file("live.sqlite-wal"), .invalidArgument), (dir.file("nowhere/b"), .invalidArgument),
                             (dir.path + "/", .invalidArgument), (dir.file(".."), .invalidArgument), (dir.file("exists"), .alreadyExists)] {
            #expect(throws: RPCError.self, "\(path)") {
                do { _ = try job.validatedDestination(path) } catch let error as RPCError {
                    #expect(error.code == code, "\(path): \(error)")
                    throw error
                }
            }
        }
        #expect(try job.validatedDestination(dir.file("ok.sqlite")) == (DatabaseFile.resolved(dir.path)! + "/ok.sqlite"))
    }

    @Test func restoreReplacesTheDatabaseAndDropsItsStaleLog() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        // The backup: 3 tickets.
        let source = try Store(path: dir.file("source.sqlite"), logger: Logger(label: "t", sink: .discard))
        _ = try await source.putTenant("acme", .init(name: "Acme"))
        _ = try await source.putTickets("acme", .init(tickets: (0..<3).map(Self.ticket), createMissingProjects: true))
        let job = BackupJob(databasePath: dir.file("source.sqlite"), forbiddenDirectories: [])
        _ = try await job.run(.init(destination: dir.file("backup.sqlite")))
        source.close()
        // The live database: 50 tickets, and a write-ahead log that must not be replayed after the restore.
        try FileManager.default.createDirectory(atPath: dir.file("data"), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir.file("data/db.sqlite-wal"), contents: Data(repeating: 7, count: 4096))
        FileManager.default.createFile(atPath: dir.file("data/db.sqlite-shm"), contents: Data(repeating: 7, count: 4096))
        FileManager.default.createFile(atPath: dir.file("data/db.sqlite"), contents: Data("old".utf8))
        var reported = 0
        let result = try DatabaseRestore.restore(input: dir.file("backup.sqlite"), databasePath: dir.file("data/db.sqlite")) { done, total in
            #expect(done <= total)
            reported = done
        }
        #expect(result.replacedExisting)
        #expect(result.schemaVersion == Schema.latestVersion)
        #expect(reported == result.bytes)
        #expect(!FileManager.default.fileExists(atPath: dir.file("data/db.sqlite-wal")))
        #expect(!FileManager.default.fileExists(atPath: dir.file("data/db.sqlite-shm")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("data")) == ["db.sqlite"])
        let restored = try Store(path: dir.file("data/db.sqlite"), logger: Logger(label: "t", sink: .discard))
        defer { restored.close() }
        #expect(try await restored.listTickets("acme", .init(limit: 100)).items.map(\.key).sorted() == ["B-0", "B-1", "B-2"])
        // The input itself is refused as its own target.
        #expect(throws: DatabaseFile.Invalid.self) {
            _ = try DatabaseRestore.restore(input: dir.file("data/db.sqlite"), databasePath: dir.file("data/db.sqlite"))
        }
    }
}
