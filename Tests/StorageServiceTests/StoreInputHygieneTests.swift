import Contracts
import Foundation
import Harness
import Observability
import RPC
import Testing
@testable import StorageService

/// Ids with NUL or other control characters, `.` and `..`, and who may read the database files.
@Suite struct StoreInputHygieneTests {
    private func ticket(_ key: String, project: String = "WEB") -> Ticket {
        Ticket(key: key, project: project, title: "Fix the login page", created: Date(timeIntervalSince1970: 1_700_000_000))
    }

    /// The RPC error code and message of `body` ("INVALID_ARGUMENT: key: ..."), nil if it succeeds.
    private func failure(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch let error as RPCError {
            return "\(error.code): \(error.message)"
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    /// Text was bound as a C string, so "a\0b" was stored and compared as "a". PostgreSQL's text holds
    /// no NUL: there the value is refused whole, never stored or compared cut short.
    @Test(arguments: DatabaseEngine.allCases) func textWithNULIsBoundWhole(engine: DatabaseEngine) async throws {
        try await withTestDatabase(engine) { test in
            let database = try test.openDatabase()
            defer { database.close() }
            try database.execute("CREATE TABLE t(x TEXT)")
            if engine == .sqlite {
                _ = try database.run("INSERT INTO t(x) VALUES(?)", [.text("a\0b")])
                #expect(try database.scalar("SELECT length(CAST(x AS BLOB)) FROM t")?.int == 3)
                #expect(try database.scalar("SELECT count(*) FROM t WHERE x = ?", [.text("a")])?.int == 0)
                #expect(try database.scalar("SELECT count(*) FROM t WHERE x = ?", [.text("a\0b")])?.int == 1)
            } else {
                #expect(throws: PostgresError.self) { try database.run("INSERT INTO t(x) VALUES(?)", [.text("a\0b")]) }
                _ = try database.run("INSERT INTO t(x) VALUES(?)", [.text("a")])
                #expect(throws: PostgresError.self) { try database.scalar("SELECT count(*) FROM t WHERE x = ?", [.text("a\0b")]) }
                #expect(try database.scalar("SELECT count(*) FROM t WHERE x = ?", [.text("a")])?.int == 1)
            }
            #expect(try database.scalar("SELECT count(*) FROM t WHERE x = ?", [.text("")])?.int == 0)
            #expect(try database.scalar("SELECT ?", [.text("é\u{1F600}")])?.string == "é\u{1F600}")
        }
    }

    /// `WEB-1\0x` answered WEB-1; now every read by id refuses control characters, naming the field.
    @Test(arguments: DatabaseEngine.allCases) func keysWithControlCharactersAreRefusedOnReadsNotCutShort(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            _ = try await store.putTickets("acme", .init(tickets: [ticket("WEB-1")], createMissingProjects: true))
            _ = try await store.putPeople("acme", [Person(id: "ada", displayName: "Ada")])
            for key in ["WEB-1\0x", "WEB-1\0", "WEB-1\n", "WEB\u{7F}-1"] {
                #expect(await failure { _ = try await store.getTicket("acme", key) } == "INVALID_ARGUMENT: key: contains control characters", "\(key)")
                #expect(await failure { _ = try await store.ticketContext("acme", .init(key: key)) }?.hasPrefix("INVALID_ARGUMENT: ") == true)
                #expect(await failure { _ = try await store.getTicketSkills("acme", key) }?.hasPrefix("INVALID_ARGUMENT: ") == true)
            }
            #expect(await failure { _ = try await store.getPerson("acme", "ada\0evil") }?.hasPrefix("INVALID_ARGUMENT: ") == true)
            #expect(await failure { _ = try await store.getProject("acme", "WEB\0") }?.hasPrefix("INVALID_ARGUMENT: ") == true)
            #expect(await failure { _ = try await store.getSyncState("acme", "WEB\0") }?.hasPrefix("INVALID_ARGUMENT: ") == true)
            // Writes refuse them too: no path stores such an id.
            let response = try await store.putTickets("acme", .init(tickets: [ticket("WEB-2\0x")]))
            #expect(response.rejects.map(\.reason) == ["key: contains control characters"])
            #expect(try await store.getTicket("acme", "WEB-1").key == "WEB-1")
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func dotAndDotDotAreNotKeys(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            _ = try await store.putProject("acme", Project(key: "WEB", name: "Web"))
            let response = try await store.putTickets("acme", .init(tickets: [ticket("."), ticket(".."), ticket("WEB-..."), ticket("WEB-1")]))
            #expect(response.created == 2)
            #expect(response.rejects.map(\.reason) == ["key: `.` and `..` are not allowed", "key: `.` and `..` are not allowed"])
            #expect(await failure { _ = try await store.putProject("acme", Project(key: "..", name: "Up")) }
                    == "INVALID_ARGUMENT: key: `.` and `..` are not allowed")
            let people = try await store.putPeople("acme", [Person(id: ".", displayName: "Dot"), Person(id: "..", displayName: "Dots")])
            #expect(people.stored == 0)
            #expect(await failure { _ = try await store.putRole("acme", RoleAssignment(principal: "..", project: "WEB", role: .admin)) }?.hasPrefix("INVALID_ARGUMENT: ") == true)
            #expect(await failure { _ = try await store.putTenant("..", .init(name: "Up")) }?.hasPrefix("INVALID_ARGUMENT: ") == true)
            #expect(await failure { _ = try await store.getTicket("acme", "..") }?.hasPrefix("INVALID_ARGUMENT: ") == true)
            var assigned = ticket("WEB-2")
            assigned.assignee = "."
            #expect(try await store.putTickets("acme", .init(tickets: [assigned])).rejects.map(\.reason) == ["assignee: `.` and `..` are not allowed"])
        }
    }

    private func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o777
    }

    /// The database, its write-ahead log and shared memory file are readable by their owner only.
    @Test func databaseFilesAreCreated0600() async throws {
        try await withStore { store, dir in
            _ = try await store.putTickets("acme", .init(tickets: [ticket("WEB-1")], createMissingProjects: true))
            let path = dir.file("test.sqlite")
            for file in [path, path + "-wal", path + "-shm"] {
                #expect(mode(file) == 0o600, "\(file): \(String(mode(file) ?? 0, radix: 8))")
            }
        }
    }

    @Test func aDatabaseOthersCouldReadIsMadePrivateWhenOpened() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("old.sqlite")
        do {
            let store = try Store(path: path, logger: Logger(label: "test", sink: .discard))
            _ = try await store.putTenant("acme", .init(name: "Acme"))
            store.close()
        }
        chmod(path, 0o644)
        #expect(mode(path) == 0o644)
        let store = try Store(path: path, logger: Logger(label: "test", sink: .discard))
        defer { store.close() }
        #expect(mode(path) == 0o600)
    }

    @Test func backupCopiesAre0600() async throws {
        try await withStore { store, dir in
            _ = try await store.putTickets("acme", .init(tickets: (1...50).map { ticket("WEB-\($0)") }, createMissingProjects: true))
            let job = BackupJob(databasePath: dir.file("test.sqlite"), forbiddenDirectories: [dir.file("sockets")])
            _ = try await job.run(.init(destination: dir.file("copy.sqlite")))
            #expect(mode(dir.file("copy.sqlite")) == 0o600)
        }
    }
}
