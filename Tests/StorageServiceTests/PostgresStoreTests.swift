import Contracts
import Foundation
import Harness
import Observability
import RPC
import Testing
@testable import StorageService

/// What only the PostgreSQL engine has to do: several storage instances on one database, migrations
/// run once whoever starts first, purges, a server restart, the backup refusal, and the URL's
/// password kept out of logs. (The behaviour both engines share is tested on both by the other suites.)
@Suite struct PostgresStoreTests {
    private func ticket(_ key: String, title: String = "Fix the login page") -> Ticket {
        Ticket(key: key, project: "ENG", title: title, description: "Steps: open /login", components: ["web"], labels: [],
               priority: "High", storyPoints: 2, status: .todo, assignee: "alice", created: Date(timeIntervalSince1970: 1_700_000_000))
    }

    /// A logger whose lines `lines` collects.
    private func capturingLogger(_ lines: Locked<[String]>) -> Logger {
        Logger(label: "test", sink: LogSink { line in lines.withLock { $0.append(line) } })
    }

    @Test func twoInstancesOnOneDatabaseSeeEachOthersWritesAndTheSameDataVersion() async throws {
        try await withTestDatabase(.postgres) { database in
            let first = try await database.store()
            defer { first.close() }
            let second = try await database.store()
            defer { second.close() }
            _ = try await first.putTenant("acme", .init(name: "Acme"))
            _ = try await first.putTickets("acme", .init(tickets: [ticket("ENG-1")], createMissingProjects: true))
            #expect(try await second.getTicket("acme", "ENG-1") == ticket("ENG-1"))
            let version = try await first.dataVersion("acme")
            #expect(try await second.dataVersion("acme") == version)
            #expect(try await second.ticketContext("acme", .init(key: "ENG-1")).dataVersion == version.version)

            _ = try await second.putPeople("acme", [Person(id: "alice", displayName: "Alice")])
            #expect(try await first.getPerson("acme", "alice").displayName == "Alice")
            let after = try await second.dataVersion("acme")
            let seenByFirst = try await first.dataVersion("acme")
            #expect(after != version && after == seenByFirst)

            // Decisions appended by both get distinct ids and list the same from either.
            var ids: [Int64] = []
            for (index, store) in [first, second, first, second].enumerated() {
                ids.append(try await store.appendDecision("acme", Decision(ticket: "ENG-1", project: "ENG", mode: .suggested,
                                                                            chosen: "alice", actor: "instance-\(index)")).id)
            }
            #expect(Set(ids).count == 4)
            #expect(try await first.listDecisions("acme", .init()).items.map(\.id) == ids.sorted())
            let listedBySecond = try await second.listDecisions("acme", .init())
            #expect(try await first.listDecisions("acme", .init()) == listedBySecond)
        }
    }

    /// Two instances write the same new tickets at once: whichever inserts second conflicts, runs its
    /// group again, and finds them there (unchanged or updated): no error, and each ticket once.
    @Test func concurrentWritersOfTheSameKeysBothSucceed() async throws {
        try await withTestDatabase(.postgres) { database in
            let first = try await database.store()
            defer { first.close() }
            let second = try await database.store()
            defer { second.close() }
            _ = try await first.putTenant("acme", .init(name: "Acme"))
            _ = try await first.putProject("acme", Project(key: "ENG", name: "Engineering"))
            for round in 0..<5 {
                let tickets = (1...20).map { ticket("ENG-\(round * 100 + $0)") }
                async let one = first.putTickets("acme", .init(tickets: tickets))
                async let two = second.putTickets("acme", .init(tickets: tickets.reversed()))
                let (a, b) = try await (one, two)
                #expect(a.rejects.isEmpty && b.rejects.isEmpty)
                #expect(a.created + b.created == 20 && a.created + a.unchanged == 20 && b.created + b.unchanged == 20)
            }
            #expect(try await second.listTickets("acme", .init(limit: 1000)).items.count == 100)
        }
    }

    /// Three instances start at once on a fresh database: one migrates, the others wait for its
    /// lock and find the schema current; each migration is recorded once; all share the epoch.
    @Test func migrationsRunOnceWhenThreeInstancesStartTogether() async throws {
        try await withTestDatabase(.postgres) { database in
            let lines = Locked<[String]>([])
            let logger = capturingLogger(lines)
            async let a = onThread { try database.openStore(logger: logger) }
            async let b = onThread { try database.openStore(logger: logger) }
            async let c = onThread { try database.openStore(logger: logger) }
            let stores = try await [a, b, c]
            defer { for store in stores { store.close() } }
            #expect(lines.value.filter { $0.contains("database migrated") }.count == 1, "\(lines.value)")
            let db = try database.openDatabase()
            defer { db.close() }
            #expect(try db.scalar("SELECT count(*) FROM schema_migrations")?.int == Int64(Schema.latestVersion))
            #expect(try db.scalar("SELECT max(version) FROM schema_migrations")?.int == Int64(Schema.latestVersion))
            _ = try await stores[0].putTenant("acme", .init(name: "Acme"))
            let versions = try await [stores[0].dataVersion("acme"), stores[1].dataVersion("acme"), stores[2].dataVersion("acme")]
            #expect(Set(versions.map(\.version)).count == 1)
            // Opened again later, nothing is left to do.
            try await database.store(logger: logger).close()
            #expect(lines.value.filter { $0.contains("database migrated") }.count == 1)
        }
    }

    /// Every table with a `tenant` column (found in the catalog, so a table added later is checked
    /// too) holds none of the purged tenant's rows, and still the other tenant's.
    @Test func aPurgeLeavesNoRowOfTheTenantInAnyTable() async throws {
        try await withTestDatabase(.postgres) { database in
            let store = try await database.store()
            defer { store.close() }
            for tenant in ["acme", "other"] {
                _ = try await store.putTenant(tenant, .init(name: tenant))
                _ = try await store.putTickets(tenant, .init(tickets: [ticket("ENG-1")], createMissingProjects: true))
                _ = try await store.putPeople(tenant, [Person(id: "alice", displayName: "Alice")])
                try await store.putTicketSkills(tenant, .init(ticket: "ENG-1", skills: [], contentHash: "h"))
                try await store.putProfiles(tenant, [SkillProfile(person: "alice", skills: ["css": 1], updated: Date())])
                _ = try await store.appendDecision(tenant, Decision(ticket: "ENG-1", project: "ENG", mode: .suggested, chosen: "alice", actor: "x"))
                _ = try await store.putRole(tenant, RoleAssignment(principal: "carol", project: "ENG", role: .admin))
                try await store.cachePut(tenant, .init(namespace: "n", key: "k", value: Data("v".utf8), ttlSeconds: 60))
                _ = try await store.putSyncState(tenant, SyncState(project: "ENG", cursor: "c", lastSync: Date()))
                try await store.putSetting(tenant, .init(key: "jira", value: Data("{}".utf8)))
                _ = try await store.appendAudit(tenant, .init(actor: "carol", kind: .role, project: "ENG", target: "dan", before: nil,
                                                              after: Data("\"viewer\"".utf8)))
                _ = try await store.putToken(tenant, .init(id: "t1", owner: "carol", name: "ci", kind: "api", roles: ["ENG": "viewer"],
                                                           createdAt: Date(), expiresAt: nil))
                _ = try await store.putPeople(tenant, [Person(id: "eve", displayName: "Eve")])
                _ = try await store.erasePerson(tenant, "eve")
            }
            let deleted = try await store.purgeTenant("acme")
            #expect(deleted >= Schema.tenantTables.count)

            let db = try database.openDatabase()
            defer { db.close() }
            let tables = try db.prepare("""
                SELECT table_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND column_name = 'tenant' ORDER BY table_name
                """)
            try tables.bind([])
            var tenantTables: [String] = []
            while try tables.step() { tenantTables.append(tables.text(0) ?? "") }
            db.resetStatements()
            #expect(Set(tenantTables + ["tenants"]) == Set(Schema.tenantTables.map(\.table)))
            for (table, column) in Schema.tenantTables {
                #expect(try db.scalar("SELECT count(*) FROM \(table) WHERE \(column) = ?", [.text("acme")])?.int == 0, "\(table)")
                #expect(try db.scalar("SELECT count(*) FROM \(table) WHERE \(column) = ?", [.text("other")])?.int ?? 0 > 0, "\(table)")
            }
            await #expect(throws: RPCError.notFound("tenant not found")) { _ = try await store.getTenant("acme") }
        }
    }

    /// The server stops under a running store: every path (a reader thread, the writer, a lent
    /// connection on the calling thread) answers UNAVAILABLE; once it is back, the same store works
    /// again without being reopened. The server is this test's own: the shared one serves other tests.
    @Test(.timeLimit(.minutes(2))) func aServerRestartAnswersUnavailableThenRecovers() async throws {
        try await withServerOfItsOwn { server, database in try await restart(server, database) }
    }

    /// Runs `body` with a server of its own (one the test may stop) and a database on it; stops and
    /// removes the server after.
    private func withServerOfItsOwn(_ body: (PostgresServer, TestDatabase) async throws -> Void) async throws {
        let server = try await onThread { try PostgresServer.start() }
        do {
            try await body(server, try await TestDatabase.make(on: server))
        } catch {
            _ = try? await onThread { server.close() }
            throw error
        }
        _ = try? await onThread { server.close() }
    }

    private func restart(_ server: PostgresServer, _ database: TestDatabase) async throws {
        let lines = Locked<[String]>([])
        let store = try await database.store(logger: capturingLogger(lines))
        defer { store.close() }
        _ = try await store.putTenant("acme", .init(name: "Acme"))
        _ = try await store.putTickets("acme", .init(tickets: [ticket("ENG-1")], createMissingProjects: true))
        _ = try await onThread { try store.ticketContextOnCallingThread("acme", .init(key: "ENG-1")) }

        try await onThread { try server.stop() }
        let unavailable = StorageContract.databaseUnavailable
        for _ in 0..<3 {   // each reader, and again once each has found its connection lost
            await #expect(throws: unavailable) { _ = try await store.getTicket("acme", "ENG-1") }
        }
        await #expect(throws: unavailable) { _ = try await store.putTickets("acme", .init(tickets: [ticket("ENG-2")])) }
        await #expect(throws: unavailable) { _ = try await store.appendDecision("acme", Decision(ticket: "ENG-1", project: "ENG", mode: .suggested, chosen: nil, actor: "x")) }
        await #expect(throws: unavailable) {
            _ = try await onThread { try store.ticketContextOnCallingThread("acme", .init(key: "ENG-1")) }
        }
        #expect(lines.value.contains { $0.contains("database unavailable") })

        try await onThread { try server.startServer() }
        #expect(try await store.getTicket("acme", "ENG-1") == ticket("ENG-1"))
        #expect(try await store.getTicket("acme", "ENG-1") == ticket("ENG-1"))
        #expect(try await store.putTickets("acme", .init(tickets: [ticket("ENG-2")])) == .init(created: 1))
        #expect(try await onThread { try store.ticketContextOnCallingThread("acme", .init(key: "ENG-2")) }.ticket == ticket("ENG-2"))
        #expect(try await store.listTickets("acme", .init()).items.count == 2)
    }

    /// A connection idle across a restart is opened again by the read that finds it stale: the read
    /// succeeds (reads run twice safely); a write's group finds it stale at its BEGIN and does too.
    @Test(.timeLimit(.minutes(2))) func connectionsIdleAcrossARestartAreOpenedAgainUnnoticed() async throws {
        try await withServerOfItsOwn { server, database in
            let store = try await database.store(readers: 1)
            defer { store.close() }
            _ = try await store.putTenant("acme", .init(name: "Acme"))
            _ = try await store.putTickets("acme", .init(tickets: [ticket("ENG-1")], createMissingProjects: true))
            try await onThread {
                try server.stop()
                try server.startServer()
            }
            #expect(try await store.getTicket("acme", "ENG-1") == ticket("ENG-1"))
            #expect(try await store.putTickets("acme", .init(tickets: [ticket("ENG-2")])) == .init(created: 1))
        }
    }

    @Test func backupAnswersFailedPreconditionPointingToPgDump() async throws {
        try await withStore(on: .postgres) { store, _ in
            let router = BackupJob.adding(to: StorageServer.router(store), store: store, forbiddenDirectories: [])
            let client = StorageClient(service: "storage", router: router)
            let error = await #expect(throws: RPCError.self) {
                _ = try await client.call(StorageContract.backup, .init(destination: "/tmp/copy.sqlite"), metadata: Metadata(tenant: "acme"))
            }
            #expect(error?.code == .failedPrecondition && error?.message.contains("pg_dump") == true)
            let progress = try await client.call(StorageContract.backupProgress, StorageContract.Empty(), metadata: Metadata(tenant: "acme"))
            #expect(progress == .init(running: false, pagesDone: 0, pagesTotal: 0))
        }
    }

    /// The URL's password never reaches the log, the password file wins over it, and a wrong
    /// password fails to connect with an error that does not repeat it either.
    @Test func passwordsStayOutOfLogsAndErrors() async throws {
        try await withTestDatabase(.postgres) { database in
            let server = try #require(database.server)
            let secret = "n0t-the-password-\(UUID().uuidString)"
            let withSecret = database.url.replacingOccurrences(of: "\(PostgresServer.superuser)@", with: "\(PostgresServer.superuser):\(secret)@")
            let lines = Locked<[String]>([])
            let store = try Store(postgres: withSecret, passwordFile: server.passwordFile, logger: capturingLogger(lines))
            _ = try await store.putTenant("acme", .init(name: "Acme"))
            store.close()
            #expect(!lines.value.isEmpty && !lines.value.contains { $0.contains(secret) })
            #expect(lines.value.contains { $0.contains("PostgreSQL database opened") && $0.contains("127.0.0.1") })

            let error = #expect(throws: PostgresError.self) { _ = try Store(postgres: withSecret, logger: capturingLogger(lines)) }
            #expect(error?.isConnectionFailure == true && error?.description.contains(secret) == false)
            #expect(throws: PostgresParameters.Invalid.self) {
                _ = try Store(postgres: database.url, passwordFile: database.dir.file("missing"), logger: capturingLogger(lines))
            }
            #expect(throws: PostgresParameters.Invalid.self) { _ = try Store(postgres: "postgresql://%zz\(secret)@[", logger: capturingLogger(lines)) }
            #expect(!lines.value.contains { $0.contains(secret) })
        }
    }

    /// Both engines have the same numbered migrations: version `n` means the same schema on either.
    @Test func bothEnginesHaveTheSameMigrations() {
        #expect(PostgresSchema.migrations.count == Schema.migrations.count)
    }
}
