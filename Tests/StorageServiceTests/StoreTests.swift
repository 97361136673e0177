import Contracts
import Foundation
import Harness
import Observability
import RPC
import Testing
@testable import StorageService

/// The store against a real database, in-process, on each engine: a SQLite file, and a database on
/// the test process's PostgreSQL server.
@Suite struct StoreTests {
    private func ticket(_ key: String, project: String = "ENG", title: String = "Fix the login page", assignee: String? = "alice") -> Ticket {
        Ticket(key: key, project: project, title: title, description: "Steps: open /login", components: ["web", "auth"],
               labels: ["bug"], priority: "High", storyPoints: 3, status: .done, assignee: assignee,
               created: Date(timeIntervalSince1970: 1_700_000_000), resolved: Date(timeIntervalSince1970: 1_700_086_400))
    }

    @Test(arguments: DatabaseEngine.allCases) func ticketsRoundTripAndReimportIsUnchanged(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            let tickets = (1...5).map { ticket("ENG-\($0)") }
            let first = try await store.putTickets("acme", .init(tickets: tickets, createMissingProjects: true))
            #expect(first == .init(created: 5))
            let again = try await store.putTickets("acme", .init(tickets: tickets))
            #expect(again == .init(unchanged: 5))
            var changed = tickets[0]
            changed.title = "Fix the login page for real"
            let update = try await store.putTickets("acme", .init(tickets: [changed]))
            #expect(update == .init(updated: 1))
            #expect(try await store.getTicket("acme", "ENG-1") == changed)
            #expect(try await store.getTicket("acme", "ENG-2") == tickets[1])
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func badRecordsAreRejectedWithPositionAndTheGoodOnesStored(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            var noKey = ticket("")
            noKey.key = ""
            var longTitle = ticket("ENG-3")
            longTitle.title = String(repeating: "x", count: 5000)
            var badPoints = ticket("ENG-4")
            badPoints.storyPoints = -1
            let request = StorageContract.PutTicketsRequest(
                tickets: [ticket("ENG-1"), noKey, longTitle, badPoints, ticket("NOPE-5", project: "NOPE"), ticket("ENG-6")],
                positions: [10, 11, 12, 13, 14, 15])
            _ = try await store.putProject("acme", Project(key: "ENG", name: "Engineering"))
            let response = try await store.putTickets("acme", request)
            #expect(response.created == 2)
            #expect(response.rejects.map(\.position) == [11, 12, 13, 14])
            #expect(response.rejects[0].reason == "key: must not be empty")
            #expect(response.rejects[1].reason == "title: longer than 4000 bytes")
            #expect(response.rejects[2].reason.hasPrefix("storyPoints"))
            #expect(response.rejects[3].reason == "project: unknown project NOPE")
            await #expect(throws: RPCError.self) { _ = try await store.getTicket("acme", "NOPE-5") }
        }
    }

    /// Issue 18: a ticket key is `PROJECT-ID` of its own project, so a write under one project never
    /// reaches (or moves) another project's ticket.
    @Test(arguments: DatabaseEngine.allCases) func aKeyOfAnotherProjectIsRejected(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            _ = try await store.putProject("acme", Project(key: "ENG", name: "Engineering"))
            _ = try await store.putProject("acme", Project(key: "WEB", name: "Web"))
            #expect(try await store.putTickets("acme", .init(tickets: [ticket("ENG-1")])) == .init(created: 1))
            var moved = ticket("ENG-1", project: "WEB")
            moved.title = "moved"
            let response = try await store.putTickets("acme", .init(tickets: [moved, ticket("WEB-1", project: "WEB"), ticket("WEB1", project: "WEB"),
                                                                               ticket("WEB-", project: "WEB")]))
            #expect(response.created == 1 && response.updated == 0)
            #expect(response.rejects.map(\.position) == [0, 2, 3])
            #expect(response.rejects.allSatisfy { $0.reason.hasPrefix("key: must be WEB-ID") }, "\(response.rejects)")
            #expect(try await store.getTicket("acme", "ENG-1") == ticket("ENG-1"))
            await #expect(throws: RPCError.invalidArgument("key: only letters, digits, '_' and '.' are allowed (no '-': ticket keys are PROJECT-ID)")) {
                _ = try await store.putProject("acme", Project(key: "WEB-2", name: "dash"))
            }
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func listingPagesWithStableCursorsAndFilters(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            var tickets: [Ticket] = []
            for index in 1...25 {
                var t = ticket("ENG-\(index)", assignee: index % 2 == 0 ? "bob" : "alice")
                t.status = index <= 10 ? .todo : .done
                tickets.append(t)
            }
            _ = try await store.putTickets("acme", .init(tickets: tickets, createMissingProjects: true))
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await store.listTickets("acme", .init(cursor: cursor, limit: 10))
                seen += page.items.map(\.key)
                cursor = page.next
            } while cursor != nil
            #expect(seen == tickets.map(\.key))
            // Newest first, with the same kind of cursor, and filters as before.
            var newest: [String] = []
            cursor = nil
            repeat {
                let page = try await store.listTickets("acme", .init(status: [.done], cursor: cursor, limit: 4, newestFirst: true))
                newest += page.items.map(\.key)
                cursor = page.next
            } while cursor != nil
            #expect(newest == tickets.filter { $0.status == .done }.map(\.key).reversed())
            let open = try await store.listTickets("acme", .init(status: [.todo], limit: 100))
            #expect(open.items.count == 10 && open.next == nil)
            let bobs = try await store.listTickets("acme", .init(assignee: "bob"))
            #expect(bobs.items.count == 12)
            await #expect(throws: RPCError.invalidArgument("cursor: malformed")) {
                _ = try await store.listTickets("acme", .init(cursor: "'; DROP TABLE tickets; --"))
            }
            await #expect(throws: RPCError.invalidArgument("limit: must be between 1 and 1000")) {
                _ = try await store.listTickets("acme", .init(limit: 0))
            }
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func everyEntityRoundTrips(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            let settings = ProjectSettings(weights: ["skillFit": 2, "workload": 0.5], autoAssign: true, confidenceThreshold: 0.4)
            let project = Project(key: "ENG", name: "Engineering", settings: settings)
            #expect(try await store.putProject("acme", project) == project)
            #expect(try await store.getProject("acme", "ENG") == project)
            #expect(try await store.listProjects("acme") == [project])

            let person = Person(id: "557058:abc", displayName: "Alice", timeZone: "Europe/Berlin", weeklyCapacity: 20,
                                workingHours: .init(), timeOff: [.init(start: "2026-12-20", end: "2027-01-02", reason: "holiday")],
                                declaredSkills: [.init(skill: "postgresql", level: 4)], optedOut: true)
            #expect(try await store.putPeople("acme", [person]).stored == 1)
            #expect(try await store.getPerson("acme", person.id) == person)
            #expect(try await store.listPeople("acme", .init()).items == [person])
            // onlyIfMissing leaves an existing record alone.
            _ = try await store.putPeople("acme", [Person(id: person.id, displayName: "Other")], onlyIfMissing: true)
            #expect(try await store.getPerson("acme", person.id).displayName == "Alice")

            let skills = StorageContract.TicketSkills(ticket: "ENG-1", skills: [DetectedSkill(name: "postgresql", weight: 0.8, source: .taxonomy, evidence: ["psql"])], contentHash: "abc123")
            try await store.putTicketSkills("acme", skills)
            #expect(try await store.getTicketSkills("acme", "ENG-1") == skills)

            let profile = SkillProfile(person: person.id, skills: ["postgresql": 0.9], updated: Date(timeIntervalSince1970: 1_700_000_000))
            try await store.putProfiles("acme", [profile])
            #expect(try await store.listProfiles("acme") == [profile])

            let decision = Decision(ticket: "ENG-1", project: "ENG", mode: .override, chosen: "bob", previous: "alice",
                                    candidates: [RankedCandidate(person: "alice", score: 0.7, factors: ["skillFit": .init(value: 0.9, weight: 1, contribution: 0.9)], reasons: ["knows postgres"])],
                                    actor: "carol", at: Date(timeIntervalSince1970: 1_700_000_100), reason: "alice is busy")
            let stored = try await store.appendDecision("acme", decision)
            #expect(stored.id > 0)
            var expected = decision
            expected.id = stored.id
            #expect(try await store.listDecisions("acme", .init(ticket: "ENG-1")).items == [expected])
            // Newest first: the latest decision of a ticket in one row, and the cursor pages to older ones.
            var later = decision
            later.chosen = "dave"
            let second = try await store.appendDecision("acme", later)
            let newest = try await store.listDecisions("acme", .init(ticket: "ENG-1", limit: 1, newestFirst: true))
            #expect(newest.items.map(\.id) == [second.id] && newest.next != nil)
            let older = try await store.listDecisions("acme", .init(ticket: "ENG-1", cursor: newest.next, limit: 1, newestFirst: true))
            #expect(older.items == [expected] && older.next == nil)
            #expect(try await store.listDecisions("acme", .init(ticket: "ENG-1", cursor: "", limit: 1, newestFirst: true)).items.map(\.id) == [second.id])
            #expect(try await store.listDecisions("acme", .init(ticket: "ENG-1")).items.map(\.id) == [stored.id, second.id])

            let role = RoleAssignment(principal: "carol", project: "ENG", role: .admin)
            #expect(try await store.putRole("acme", role) == role)
            #expect(try await store.listRoles("acme", .init(principal: "carol")) == [role])
            try await store.deleteRole("acme", .init(principal: "carol", project: "ENG"))
            #expect(try await store.listRoles("acme", .init()).isEmpty)
            await #expect(throws: RPCError.notFound("role not found")) { try await store.deleteRole("acme", .init(principal: "carol", project: "ENG")) }

            try await store.cachePut("acme", .init(namespace: "skills", key: "h1", value: Data("v".utf8), ttlSeconds: 60))
            #expect(try await store.cacheGet("acme", .init(namespace: "skills", key: "h1")) == Data("v".utf8))
            try await store.cachePut("acme", .init(namespace: "skills", key: "h2", value: Data("old".utf8), ttlSeconds: 0.01))
            try await Task.sleep(nanoseconds: 30_000_000)
            #expect(try await store.cacheGet("acme", .init(namespace: "skills", key: "h2")) == nil)
            #expect(try await store.sweepCache() == 1)

            let sync = SyncState(project: "ENG", cursor: "2026-01-01", lastSync: Date(timeIntervalSince1970: 1_700_000_000))
            #expect(try await store.putSyncState("acme", sync) == sync)
            #expect(try await store.getSyncState("acme", "ENG") == sync)
            try await store.putSetting("acme", .init(key: "jira", value: Data("{}".utf8)))
            #expect(try await store.getSetting("acme", "jira") == Data("{}".utf8))
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func decisionsAreAppendOnly(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, dir in
            _ = try await store.appendDecision("acme", Decision(ticket: "ENG-1", project: "ENG", mode: .suggested, chosen: "a", actor: "system"))
            let db = try dir.openDatabase()
            defer { db.close() }
            #expect(throws: (any Error).self) { try db.run("UPDATE decisions SET chosen = 'b'") }
            #expect(try db.scalar("SELECT chosen FROM decisions")?.string == "a")
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func writesForAnUnknownTenantAreRefused(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            await #expect(throws: RPCError(.failedPrecondition, "unknown tenant; create it first")) {
                _ = try await store.putProject("ghost", Project(key: "ENG", name: "x"))
            }
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func invalidInputNamesTheField(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            await #expect(throws: RPCError.invalidArgument("settings.confidenceThreshold: must be between 0 and 1")) {
                _ = try await store.putProject("acme", Project(key: "ENG", name: "x", settings: .init(confidenceThreshold: 2)))
            }
            await #expect(throws: RPCError.invalidArgument("key: only letters, digits, '_' and '.' are allowed (no '-': ticket keys are PROJECT-ID)")) {
                _ = try await store.putProject("acme", Project(key: "../etc", name: "x"))
            }
            let bad = Person(id: "p", displayName: "P", timeZone: "Mars/Olympus")
            let response = try await store.putPeople("acme", [bad])
            #expect(response.rejects.first?.reason == "timeZone: unknown time zone")
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func newerSchemaIsRefused(engine: DatabaseEngine) async throws {
        try await withTestDatabase(engine) { database in
            let db = try database.openDatabase()
            if engine == .sqlite {
                try db.execute("PRAGMA user_version=\(Schema.latestVersion + 1)")
            } else {
                try database.openStore().close()
                try db.run("INSERT INTO schema_migrations(version, applied_at) VALUES(?, 0)", [.integer(Int64(Schema.latestVersion + 1))])
            }
            db.close()
            #expect(throws: Migrator.NewerSchema.self) { _ = try database.openStore() }
        }
    }

    /// Brings `db` to schema version `version` as an older SmartTicket would have.
    private func migrate(_ db: Database, to version: Int) throws {
        if db.engine == .sqlite {
            try db.transaction {
                for migration in Schema.migrations.prefix(version) { try db.execute(migration) }
            }
            try db.execute("PRAGMA user_version=\(version)")
        } else {
            try db.execute("CREATE TABLE schema_migrations(version BIGINT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)")
            for (index, migration) in PostgresSchema.migrations.prefix(version).enumerated() {
                try db.execute(migration)
                try db.run("INSERT INTO schema_migrations(version, applied_at) VALUES(?, 0)", [.integer(Int64(index + 1))])
            }
        }
    }

    /// Migration 3 (issue 19): a database of version 2 keeps its tickets, which gain no required skills; a
    /// ticket's required skills round-trip and count in its fingerprint.
    @Test(arguments: DatabaseEngine.allCases) func requiredSkillsArriveWithMigration3AndRoundTrip(engine: DatabaseEngine) async throws {
        try await withTestDatabase(engine) { database in
            do {
                let db = try database.openDatabase()
                try migrate(db, to: 2)
                try db.run("INSERT INTO tenants(id, name, installed_at) VALUES('acme', 'acme', 0)")
                try db.run("INSERT INTO projects(tenant, key, name, settings) VALUES('acme', 'ENG', 'ENG', ?)", [.blob(Array(#"{"weights":{},"autoAssign":false,"confidenceThreshold":0.25,"staleDays":30,"candidatePool":"recent"}"#.utf8))])
                try db.run("""
                    INSERT INTO tickets(tenant, key, project, title, description, components, labels, status, created, updated, fingerprint)
                    VALUES('acme', 'ENG-1', 'ENG', 'Old ticket', '', '', '', 'todo', 0, 0, 0)
                    """)
                db.close()
            }
            let store = try await database.store()
            defer { store.close() }
            let old = try await store.getTicket("acme", "ENG-1")
            #expect(old.title == "Old ticket" && old.requiredSkills == nil)
            var gated = ticket("ENG-2")
            gated.requiredSkills = [RequiredSkill(skill: "kubernetes", minLevel: 4)]
            #expect(try await store.putTickets("acme", .init(tickets: [gated])) == .init(created: 1))
            #expect(try await store.getTicket("acme", "ENG-2") == gated)
            #expect(try await store.putTickets("acme", .init(tickets: [gated])) == .init(unchanged: 1))
            gated.requiredSkills = [RequiredSkill(skill: "kubernetes", minLevel: 5)]
            #expect(try await store.putTickets("acme", .init(tickets: [gated])) == .init(updated: 1))
            #expect(try await store.ticketContext("acme", .init(key: "ENG-2")).ticket.requiredSkills?.first?.minLevel == 5)
            var bad = ticket("ENG-3")
            bad.requiredSkills = [RequiredSkill(skill: "kubernetes", minLevel: 0)]
            #expect(try await store.putTickets("acme", .init(tickets: [bad])).rejects.first?.reason == "requiredSkills[0].minLevel: must be 1 to 5")
        }
    }

    @Test func migrationIsIdempotentAndSetsWAL() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let first = try Store(path: dir.file("db.sqlite"), logger: Logger(label: "t", sink: .discard))
        first.close()
        let second = try Store(path: dir.file("db.sqlite"), logger: Logger(label: "t", sink: .discard))
        second.close()
        let db = try Database(path: dir.file("db.sqlite"))
        #expect(try db.scalar("PRAGMA journal_mode")?.string == "wal")
        #expect(try db.scalar("PRAGMA user_version")?.int == Int64(Schema.latestVersion))
    }
}
