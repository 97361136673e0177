import Contracts
import Foundation
import Harness
import Observability
import RPC
import Testing
@testable import StorageService

/// What every recommendation runs through in storage: the context read on the calling thread
/// (through lent connections), group commit of decisions, and the cached statements both use.
@Suite struct HotPathTests {
    /// Eight tickets, a setting and one ticket's skills in `store`'s tenant `acme`.
    private func seed(_ store: Store) async throws {
        let tickets = (1...8).map { index in
            Ticket(key: "ENG-\(index)", project: "ENG", title: "Ticket \(index)", description: "", components: ["core", "ui \"x\""],
                   labels: index % 2 == 0 ? ["bug"] : [], priority: "High", storyPoints: 3, status: .todo, assignee: nil,
                   created: Date(timeIntervalSince1970: 1_700_000_000))
        }
        _ = try await store.putTickets("acme", .init(tickets: tickets, createMissingProjects: true))
        try await store.putSetting("acme", .init(key: "jira.assignable.ENG", value: Data("[\"alice\"]".utf8)))
        try await store.putTicketSkills("acme", .init(ticket: "ENG-2", skills: [DetectedSkill(name: "css", weight: 0.5, source: .taxonomy)],
                                                     contentHash: "h2"))
    }

    /// Runs `body` on `count` threads of their own (never on the cooperative pool) and waits for all.
    private func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let remaining = Locked(count)
            for index in 0..<count {
                Thread {
                    body(index)
                    if remaining.withLock({ $0 -= 1; return $0 }) == 0 { continuation.resume() }
                }.start()
            }
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func contextReadOnTheCallingThreadMatchesTheReaderThreadsAndReusesConnections(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            try await seed(store)
            let requests = (1...8).map { StorageContract.TicketContextRequest(key: "ENG-\($0)", settingPrefix: $0 % 2 == 0 ? "jira.assignable." : nil) }
            var expected: [StorageContract.TicketContext] = []
            for request in requests { expected.append(try await store.ticketContext("acme", request)) }
            #expect(expected[1].skills?.contentHash == "h2" && expected[1].setting == Data("[\"alice\"]".utf8))
            #expect(expected[0].ticket.components == ["core", "ui \"x\""] && expected[1].ticket.labels == ["bug"])

            let mismatches = Locked(0)
            let contexts = expected
            await onThreads(4) { thread in
                for round in 0..<50 {
                    let index = (thread + round) % requests.count
                    let context = try? store.ticketContextOnCallingThread("acme", requests[index])
                    if context != contexts[index] { mismatches.withLock { $0 += 1 } }
                }
            }
            #expect(mismatches.withLock { $0 } == 0)
            // At most one connection per thread that read at once, kept for the next reads.
            #expect((1...4).contains(store.readerPool.idleCount))

            // A write is seen by the next read on a lent connection (no read transaction left open).
            _ = try await store.putTickets("acme", .init(tickets: [Ticket(key: "ENG-1", project: "ENG", title: "Renamed", description: "",
                                                                           components: [], labels: [], priority: nil, storyPoints: nil,
                                                                           status: .todo, assignee: nil, created: Date(timeIntervalSince1970: 1_700_000_000))]))
            let renamed = Locked<String?>(nil)
            let missing = Locked<RPCError?>(nil)
            let mapped = Locked<Int64?>(nil)
            await onThreads(1) { _ in
                // SQLite's readers map no memory; PostgreSQL's lent connections refuse writes.
                mapped.withLock { $0 = engine == .sqlite ? try? store.readOnCallingThread { try $0.scalar("PRAGMA mmap_size")?.int }
                                      : try? store.readOnCallingThread { try $0.scalar("SHOW default_transaction_read_only")?.string == "on" ? 0 : 1 } }
                renamed.withLock { $0 = try? store.ticketContextOnCallingThread("acme", .init(key: "ENG-1")).ticket.title }
                do { _ = try store.ticketContextOnCallingThread("acme", .init(key: "ENG-404")) } catch { missing.withLock { $0 = error as? RPCError } }
            }
            #expect(renamed.withLock { $0 } == "Renamed")
            #expect(mapped.withLock { $0 } == Int64(Migrator.mmapSize))
            #expect(missing.withLock { $0 }?.code == .notFound)
            #expect(throws: RPCError.self) { try store.ticketContextOnCallingThread("acme", .init(key: "ENG-1", settingPrefix: "bad\u{1}")) }

            store.close()
            #expect(throws: StorageError.self) { try store.ticketContextOnCallingThread("acme", .init(key: "ENG-1")) }
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func concurrentDecisionsAreEachCommittedAndAFailingOneIsRolledBackAlone(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            try await seed(store)
            let candidates = Array(#"[{"factors":{},"person":"alice","reasons":[],"score":1}]"#.utf8)
            // Many at once: the writer groups those that queue up into one transaction.
            let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await store.appendDecision("acme", StorageContract.DecisionRecord(
                            ticket: "ENG-\(index % 8 + 1)", project: "ENG", mode: .suggested, chosen: "alice", candidatesJSON: candidates,
                            actor: "carol"))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(ids).count == 40)
            #expect(try await store.listDecisions("acme", .init(limit: 100)).items.count == 40)

            // Jobs failing inside the group (here: a tenant purged meanwhile) are rolled back alone,
            // whether they run alone or among others.
            for others in [0, 5] {
                let failing = Task {
                    try await store.appendDecision("ghost", StorageContract.DecisionRecord(
                        ticket: "ENG-1", project: "ENG", mode: .suggested, chosen: nil, candidatesJSON: candidates, actor: "carol"))
                }
                let fine = try await withThrowingTaskGroup(of: Int64.self) { group in
                    for _ in 0..<others {
                        group.addTask {
                            try await store.appendDecision("acme", StorageContract.DecisionRecord(
                                ticket: "ENG-1", project: "ENG", mode: .suggested, chosen: nil, candidatesJSON: candidates, actor: "carol"))
                        }
                    }
                    return try await group.reduce(into: 0) { count, _ in count += 1 }
                }
                await #expect(throws: RPCError(.failedPrecondition, "unknown tenant; create it first")) { _ = try await failing.value }
                #expect(fine == others)
            }
            #expect(try await store.listDecisions("acme", .init(limit: 100)).items.count == 45)
            #expect(try await store.listDecisions("ghost", .init(limit: 100)).items.isEmpty)
        }
    }

    @Test func controlStatementsAreCachedAndTransactionsStillRollBack() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let db = try Database(path: dir.file("control.sqlite"))
        try db.execute("CREATE TABLE t(x INTEGER)")
        for value in 1...3 { _ = try db.transaction { try db.run("INSERT INTO t(x) VALUES(?)", [.integer(Int64(value))]) } }
        #expect(throws: SQLiteError.self) {
            try db.transaction {
                try db.run("INSERT INTO t(x) VALUES(4)")
                try db.run("INSERT INTO missing(x) VALUES(5)")
            }
        }
        #expect(!db.inTransaction)
        #expect(try db.scalar("SELECT count(*) FROM t")?.int == 3)
        try db.control("BEGIN")
        try db.control("SAVEPOINT s")
        try db.run("INSERT INTO t(x) VALUES(6)")
        try db.control("ROLLBACK TO s")
        try db.control("RELEASE s")
        try db.control("COMMIT")
        #expect(try db.scalar("SELECT count(*) FROM t")?.int == 3)
        #expect(throws: SQLiteError.self) { try db.control("COMMIT") }   // none open: SQLite's error, the statement reset
        _ = try db.transaction { try db.run("INSERT INTO t(x) VALUES(7)") }
        #expect(try db.scalar("SELECT max(x) FROM t")?.int == 7)
    }

    @Test func storedStringListsDecodeFromTheirBytesAsFromText() {
        for list in [[], [""], ["core"], ["a", "b c", "ü😀"], ["quote \" inside", "back\\slash"], ["tab\tnew\nline", "\u{1}"]] {
            let text = StringList.encode(list)
            let fromBytes = Array(text.utf8).withUnsafeBufferPointer { StringList.decode(bytes: $0) }
            #expect(fromBytes == list, "\(text)")
            #expect(StringList.decode(text) == list, "\(text)")
        }
        #expect(StringList.decode(bytes: UnsafeBufferPointer(start: nil, count: 0)) == [])
    }

    @Test func decodedJSONCacheAnswersByContent() throws {
        let cache = DecodedJSONCache<[String: Int]>(capacity: 2)
        let one = Array(#"{"a":1}"#.utf8), two = Array(#"{"a":2}"#.utf8), three = Array(#"{"b":3}"#.utf8)
        #expect(try cache.decode(one) == ["a": 1])
        #expect(try cache.decode(two) == ["a": 2])
        #expect(try cache.decode(one) == ["a": 1])
        #expect(try cache.decode(three) == ["b": 3])   // over capacity: starts over
        #expect(try cache.decode(two) == ["a": 2])
        #expect(throws: (any Error).self) { try cache.decode(Array("{".utf8)) }
    }
}
