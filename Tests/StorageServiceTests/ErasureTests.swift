import Contracts
import Foundation
import Harness
import RPC
import Testing
@testable import StorageService

/// The right to erasure in storage (`Store+Erasure.swift`, migration 9), on each engine: what is deleted, what is
/// rewritten with the pseudonym (the append-only tables too, which stay append-only), what a later write of the same id
/// stores, and that nothing of another tenant or another person changes.
@Suite struct ErasureTests {
    static let id = "557058:zq-7c1e"
    static let name = "Zelda Quartermaine"

    /// A tenant where the person has a record, a profile, a role, tickets (one naming her in its text), decisions,
    /// audit records, a setting naming her, and a colleague (`annabel`) whose name contains neither.
    private func seed(_ store: Store, tenant: String = "acme") async throws {
        if tenant != "acme" { _ = try await store.putTenant(tenant, .init(name: tenant)) }
        _ = try await store.putPeople(tenant, [Person(id: Self.id, displayName: Self.name, timeOff: [.init(start: "2027-01-04", end: "2027-01-08")]),
                                               Person(id: "annabel", displayName: "Annabel Zelda-Smith")])
        try await store.putProfiles(tenant, [SkillProfile(person: Self.id, skills: ["database": 0.9]), SkillProfile(person: "annabel", skills: ["web": 0.5])])
        _ = try await store.putRole(tenant, RoleAssignment(principal: Self.id, project: "ENG", role: .member))
        _ = try await store.putTickets(tenant, .init(tickets: [
            Ticket(key: "ENG-1", project: "ENG", title: "index rebuild", status: .done, assignee: Self.id, created: Date(timeIntervalSince1970: 1_700_000_000),
                   resolved: Date(timeIntervalSince1970: 1_700_086_400)),
            Ticket(key: "ENG-2", project: "ENG", title: "ask \(Self.name) about \(Self.id)", description: "Zelda's notes; Quartermaines", created: Date()),
            Ticket(key: "ENG-3", project: "ENG", title: "web form", assignee: "annabel", created: Date()),
        ], createMissingProjects: true))
        _ = try await store.appendDecision(tenant, Decision(ticket: "ENG-1", project: "ENG", mode: .override, chosen: Self.id, previous: "annabel",
                                                            candidates: [.init(person: "annabel", score: 0.8), .init(person: Self.id, score: 0.7)],
                                                            actor: Self.id, reason: "\(Self.name) knows the index"))
        _ = try await store.appendAudit(tenant, .init(actor: "ada", kind: .person, project: nil, target: Self.id,
                                                      before: Data(#"{"displayName":"Z"}"#.utf8), after: Data(#"{"displayName":"\#(Self.name)"}"#.utf8)))
        try await store.putSetting(tenant, .init(key: "jira.assignable.ENG", value: Data(#"["\#(Self.id)","annabel"]"#.utf8)))
        _ = try await store.putToken(tenant, .init(id: "tok-\(tenant)-1", owner: Self.id, name: "Zelda Quartermaine's laptop", kind: "api",
                                                   roles: ["ENG": "member"], createdAt: Date(), expiresAt: nil))
    }

    @Test(arguments: DatabaseEngine.allCases) func erasureLeavesOnlyThePseudonym(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, database in
            try await seed(store)
            try await seed(store, tenant: "other")
            let before = try await store.dataVersion("acme")
            let erased = try await store.erasePerson("acme", Self.id)
            let pseudonym = erased.pseudonym
            #expect(pseudonym.wholeMatch(of: /erased-[0-9a-f]{16}/) != nil)
            #expect(erased.rowsDeleted == 3, "person, profile, role: \(erased)")
            #expect(erased.rowsRewritten == 6, "two tickets, a decision, an audit record, a setting, a token: \(erased)")

            // Deleted: record (time off with it), profile, role.
            await #expect(throws: RPCError.notFound("person not found")) { _ = try await store.getPerson("acme", Self.id) }
            #expect(try await store.listProfiles("acme").map(\.person) == ["annabel"])
            #expect(try await store.listRoles("acme", .init()).isEmpty)
            // Rewritten, whole words only: the colleague's name and words that merely contain hers stay.
            #expect(try await store.getTicket("acme", "ENG-1").assignee == pseudonym)
            let text = try await store.getTicket("acme", "ENG-2")
            #expect(text.title == "ask \(pseudonym) about \(pseudonym)")
            #expect(text.description == "Zelda's notes; Quartermaines")
            #expect(try await store.getPerson("acme", "annabel").displayName == "Annabel Zelda-Smith")
            let decision = try #require(try await store.listDecisions("acme", .init()).items.first)
            #expect(decision.chosen == pseudonym && decision.previous == "annabel" && decision.actor == pseudonym)
            #expect(decision.candidates.map(\.person) == ["annabel", pseudonym] && decision.reason == "\(pseudonym) knows the index")
            let audit = try #require(try await store.listAudit("acme", .init()).items.first)
            #expect(audit.target == pseudonym && String(decoding: audit.after ?? Data(), as: UTF8.self) == #"{"displayName":"\#(pseudonym)"}"#)
            #expect(try await store.getSetting("acme", "jira.assignable.ENG") == Data(#"["\#(pseudonym)","annabel"]"#.utf8))

            // Her token is revoked at once, its row kept under the pseudonym.
            #expect(try await store.tokenState("acme", .init(id: "tok-acme-1")).revoked)
            #expect(!(try await store.tokenState("other", .init(id: "tok-other-1")).revoked))
            let token = try #require(try await store.listTokens("acme", .init()).first)
            #expect(token.owner == pseudonym && token.name == "\(pseudonym)'s laptop" && token.revokedBy == "erasure")
            // Still append-only; every cache of the tenant sees a new generation.
            let db = try database.openDatabase()
            defer { db.close() }
            #expect(throws: (any Error).self) { try db.run("UPDATE decisions SET actor = 'mallory'") }
            db.resetStatements()
            #expect(throws: (any Error).self) { try db.run("UPDATE audit SET actor = 'mallory'") }
            db.resetStatements()
            let after = try await store.dataVersion("acme")
            #expect(before.parts?.epoch != after.parts?.epoch, "\(before.version) → \(after.version)")

            // The other tenant, where the same id is someone else's, is untouched.
            #expect(try await store.getPerson("other", Self.id).displayName == Self.name)
            #expect(try await store.getTicket("other", "ENG-1").assignee == Self.id)

            // Erasing again finds nobody.
            await #expect(throws: RPCError.notFound("person not found")) { _ = try await store.erasePerson("acme", Self.id) }
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func laterWritesOfTheSameIdStoreThePseudonym(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            try await seed(store)
            let pseudonym = try await store.erasePerson("acme", Self.id).pseudonym
            // A sync or import sends her again: the person is not stored, her tickets name the same pseudonym.
            let people = try await store.putPeople("acme", [Person(id: Self.id, displayName: Self.name), Person(id: "newcomer", displayName: "Neil")])
            #expect(people.stored == 1)
            await #expect(throws: RPCError.notFound("person not found")) { _ = try await store.getPerson("acme", Self.id) }
            _ = try await store.putTickets("acme", .init(tickets: [Ticket(key: "ENG-9", project: "ENG", title: "new", assignee: Self.id, created: Date())]))
            #expect(try await store.getTicket("acme", "ENG-9").assignee == pseudonym)
            // The ticket she had, sent again as it was, is unchanged: stays the pseudonym's.
            let resent = try await store.putTickets("acme", .init(tickets: [
                Ticket(key: "ENG-1", project: "ENG", title: "index rebuild", status: .done, assignee: Self.id,
                       created: Date(timeIntervalSince1970: 1_700_000_000), resolved: Date(timeIntervalSince1970: 1_700_086_400))]))
            #expect(resent.unchanged == 1)
            #expect(try await store.getTicket("acme", "ENG-1").assignee == pseudonym)
            // A reassignment Jira reports for her is recorded under the pseudonym, who made it included.
            _ = try await store.appendDecision("acme", Decision(ticket: "ENG-9", project: "ENG", mode: .override, chosen: "annabel",
                                                                previous: Self.id, actor: "jira:\(Self.id)", reason: "reassigned in Jira"))
            let jira = try #require(try await store.listDecisions("acme", .init(ticket: "ENG-9")).items.first)
            #expect(jira.previous == pseudonym && jira.actor == "jira:\(pseudonym)" && jira.chosen == "annabel")
            // Another erasure in the tenant gives another pseudonym; both stay stable.
            let second = try await store.erasePerson("acme", "annabel").pseudonym
            #expect(second != pseudonym)
            #expect(try await store.getTicket("acme", "ENG-3").assignee == second)
        }
    }

    @Test func theDatabaseFileKeepsNoByteOfTheIdOrName() async throws {
        try await withStore(on: .sqlite) { store, database in
            try await seed(store)
            func filesContain(_ text: String) -> Bool {
                [database.path, database.path + "-wal"].contains { FileManager.default.contents(atPath: $0)?.range(of: Data(text.utf8)) != nil }
            }
            #expect(filesContain(Self.id) && filesContain("Quartermaine"))
            _ = try await store.erasePerson("acme", Self.id)
            #expect(!filesContain(Self.id))
            #expect(!filesContain(Self.name))
            #expect(filesContain("Annabel Zelda-Smith"))
        }
    }
}
