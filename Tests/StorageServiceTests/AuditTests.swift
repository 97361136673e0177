import Contracts
import Foundation
import Harness
import RPC
import Testing
@testable import StorageService

/// The audit record of admin changes (migration 6, `Store+Audit.swift`) and the decision filters of the audit list, on
/// each engine: append-only, filters, cursor paging newest first, validation naming fields, gone with the tenant.
@Suite struct AuditTests {
    private func json(_ text: String) -> Data { Data(text.utf8) }

    private func change(_ kind: StorageContract.AuditKind, project: String?, target: String, actor: String = "ada",
                        before: String? = nil, after: String? = nil) -> StorageContract.AppendAuditRequest {
        .init(actor: actor, kind: kind, project: project, target: target, before: before.map(json), after: after.map(json))
    }

    @Test(arguments: DatabaseEngine.allCases) func appendedChangesRoundTripNewestFirst(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            let start = Date().addingTimeInterval(-1)
            let first = try await store.appendAudit("acme", change(.settings, project: "ENG", target: "ENG",
                                                                   before: #"{"autoAssign":false}"#, after: #"{"autoAssign":true}"#))
            let second = try await store.appendAudit("acme", change(.role, project: "ENG", target: "zoe", after: #""member""#))
            let third = try await store.appendAudit("acme", change(.person, project: nil, target: "bob", actor: "bob",
                                                                   before: #"{"weeklyCapacity":40}"#, after: #"{"weeklyCapacity":20}"#))
            #expect(first.id < second.id && second.id < third.id)
            #expect(first.at >= start && third.at <= Date().addingTimeInterval(1))
            let page = try await store.listAudit("acme", .init())
            #expect(page.items == [third, second, first])
            #expect(page.next == nil)
            let role = try #require(page.items.first { $0.kind == "role" })
            #expect(role.before == nil && role.after == json(#""member""#) && role.project == "ENG" && role.target == "zoe" && role.actor == "ada")
            #expect(page.items.first { $0.kind == "person" }?.project == nil)
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func auditRecordsAreAppendOnly(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, database in
            _ = try await store.appendAudit("acme", change(.settings, project: "ENG", target: "ENG", before: "{}", after: "{}"))
            let db = try database.openDatabase()
            defer { db.close() }
            #expect(throws: (any Error).self) { try db.run("UPDATE audit SET actor = 'mallory'") }
            db.resetStatements()
            #expect(try db.scalar("SELECT actor FROM audit")?.string == "ada")
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func filtersByProjectKindTargetAndDate(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            _ = try await store.appendAudit("acme", change(.settings, project: "ENG", target: "ENG", before: "{}", after: "{}"))
            _ = try await store.appendAudit("acme", change(.role, project: "ENG", target: "zoe", after: #""viewer""#))
            _ = try await store.appendAudit("acme", change(.role, project: "OPS", target: "zoe", after: #""admin""#))
            _ = try await store.appendAudit("acme", change(.customSkills, project: nil, target: "*", before: "{}", after: #"{"ledger":{}}"#))
            _ = try await store.appendAudit("acme", change(.person, project: nil, target: "zoe", before: "{}", after: "{}"))
            let kinds = { (request: StorageContract.ListAuditRequest) in try await store.listAudit("acme", request).items.map(\.kind) }
            #expect(try await kinds(.init(project: "ENG")) == ["role", "settings"])
            #expect(try await kinds(.init(project: "OPS")) == ["role"])
            #expect(try await kinds(.init(kinds: ["role"])).count == 2)
            #expect(try await kinds(.init(kinds: ["customSkills", "person"])) == ["person", "customSkills"])
            #expect(try await kinds(.init(kinds: ["role", "person"], target: "zoe")) == ["person", "role", "role"])
            #expect(try await kinds(.init(project: "ENG", kinds: ["settings"])) == ["settings"])
            #expect(try await kinds(.init(since: Date().addingTimeInterval(-60))).count == 5)
            #expect(try await kinds(.init(since: Date().addingTimeInterval(60))).isEmpty)
            // Another tenant's changes are never listed.
            _ = try await store.putTenant("other", .init(name: "Other"))
            _ = try await store.appendAudit("other", change(.settings, project: "ENG", target: "ENG", before: "{}", after: "{}"))
            #expect(try await kinds(.init(project: "ENG")) == ["role", "settings"])
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func cursorsPageNewestFirstWithoutGapsOrRepeats(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            var ids: [Int64] = []
            for index in 0..<7 {
                ids.append(try await store.appendAudit("acme", change(.role, project: "ENG", target: "p\(index)", after: #""member""#)).id)
            }
            var seen: [Int64] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await store.listAudit("acme", .init(cursor: cursor, limit: 3))
                #expect(page.items.count <= 3)
                seen += page.items.map(\.id)
                cursor = page.next
                pages += 1
            } while cursor != nil && pages < 10
            #expect(seen == ids.reversed())
            #expect(pages == 3)
            // A position kept by the caller (the gateway's merged cursor) pages the same way.
            #expect(try await store.listAudit("acme", .init(beforeID: ids[3], limit: 2)).items.map(\.id) == [ids[2], ids[1]])
            await #expect(throws: RPCError.invalidArgument("cursor: malformed")) { _ = try await store.listAudit("acme", .init(cursor: "nope")) }
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func invalidChangesNameTheField(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            let kinds = "must be one of settings, role, customSkills, person, token"
            await #expect(throws: RPCError.invalidArgument("kind: \(kinds)")) {
                _ = try await store.appendAudit("acme", .init(actor: "ada", kind: "tickets", project: nil, target: "x", before: nil, after: nil))
            }
            await #expect(throws: RPCError.invalidArgument("actor: must not be empty")) {
                _ = try await store.appendAudit("acme", change(.settings, project: "ENG", target: "ENG", actor: ""))
            }
            await #expect(throws: RPCError.invalidArgument("project: only letters, digits, '_' and '.' are allowed (no '-': ticket keys are PROJECT-ID)")) {
                _ = try await store.appendAudit("acme", change(.settings, project: "E-1", target: "E-1"))
            }
            await #expect(throws: RPCError.invalidArgument("target: contains control characters")) {
                _ = try await store.appendAudit("acme", change(.person, project: nil, target: "a\u{1}"))
            }
            await #expect(throws: RPCError.invalidArgument("after: not JSON")) {
                _ = try await store.appendAudit("acme", change(.settings, project: "ENG", target: "ENG", before: "{}", after: "{oops"))
            }
            await #expect(throws: RPCError.invalidArgument("kinds[1]: \(kinds)")) {
                _ = try await store.listAudit("acme", .init(kinds: ["role", "decision"]))
            }
            await #expect(throws: RPCError.invalidArgument("limit: must be between 1 and 1000")) {
                _ = try await store.listAudit("acme", .init(limit: 0))
            }
            await #expect(throws: RPCError(.failedPrecondition, "unknown tenant; create it first")) {
                _ = try await store.appendAudit("ghost", change(.settings, project: "ENG", target: "ENG"))
            }
            let stored = try await store.listAudit("acme", .init())
            #expect(stored.items.isEmpty)
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func aPurgeDeletesTheTenantsAuditRecords(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, database in
            _ = try await store.putTenant("other", .init(name: "Other"))
            for tenant in ["acme", "other"] {
                _ = try await store.appendAudit(tenant, change(.settings, project: "ENG", target: "ENG", before: "{}", after: "{}"))
                _ = try await store.appendAudit(tenant, change(.person, project: nil, target: "bob", before: "{}", after: "{}"))
            }
            _ = try await store.purgeTenant("acme")
            #expect(try await store.listAudit("acme", .init()).items.isEmpty)
            #expect(try await store.listAudit("other", .init()).items.count == 2)
            let db = try database.openDatabase()
            defer { db.close() }
            #expect(try db.scalar("SELECT count(*) FROM audit WHERE tenant = ?", [.text("acme")])?.int == 0)
        }
    }

    /// The audit list's decisions: by person (chosen or previous), since a date, before a kept id, without candidates.
    @Test(arguments: DatabaseEngine.allCases) func decisionsFilterByPersonDateAndPosition(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            let old = Date(timeIntervalSince1970: 1_700_000_000)
            let candidates = [RankedCandidate(person: "ann", score: 0.9, reasons: ["knows it"])]
            let suggested = try await store.appendDecision("acme", Decision(ticket: "ENG-1", project: "ENG", mode: .suggested, chosen: "ann",
                                                                            candidates: candidates, actor: "system", at: old))
            let override = try await store.appendDecision("acme", Decision(ticket: "ENG-1", project: "ENG", mode: .override, chosen: "bob",
                                                                           previous: "ann", actor: "lead", reason: "ann is away"))
            let manual = try await store.appendDecision("acme", Decision(ticket: "ENG-2", project: "ENG", mode: .manual, chosen: "cy", actor: "lead"))
            let ids = { (request: StorageContract.ListDecisionsRequest) in try await store.listDecisions("acme", request).items.map(\.id) }
            #expect(try await ids(.init(newestFirst: true, person: "ann")) == [override.id, suggested.id])
            #expect(try await ids(.init(newestFirst: true, person: "bob")) == [override.id])
            #expect(try await ids(.init(newestFirst: true, since: old.addingTimeInterval(1))) == [manual.id, override.id])
            #expect(try await ids(.init(newestFirst: true, beforeID: manual.id)) == [override.id, suggested.id])
            #expect(try await ids(.init(newestFirst: true, modes: [.override, .manual], person: "cy")) == [manual.id])
            let light = try await store.listDecisions("acme", .init(newestFirst: true, person: "ann", withoutCandidates: true)).items
            #expect(light.allSatisfy { $0.candidates.isEmpty } && light.last?.chosen == "ann" && light.first?.reason == "ann is away")
            #expect(try await store.listDecisions("acme", .init(ticket: "ENG-1")).items.first?.candidates == candidates)
        }
    }
}
