import Contracts
import Foundation
import Testing
@testable import StorageService

/// The per-tenant data version that scoring's snapshot is invalidated by.
@Suite struct DataVersionTests {
    private func ticket(_ key: String, status: Ticket.Status = .todo) -> Ticket {
        Ticket(key: key, project: "ENG", title: "Fix the login page", description: "", components: [], labels: [],
               priority: nil, storyPoints: 2, status: status, assignee: "alice", created: Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test(arguments: DatabaseEngine.allCases) func changesWithEveryPeopleOrTicketWriteAndOnlyThen(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in try await changesWithEveryPeopleOrTicketWriteAndOnlyThen(store) }
    }

    private func changesWithEveryPeopleOrTicketWriteAndOnlyThen(_ store: Store) async throws {
        _ = try await store.putTenant("other", .init(name: "Other"))

        var seen: Set<String> = []
        func expectNew(_ what: String) async throws {
            let version = try await store.dataVersion("acme").version
            #expect(seen.insert(version).inserted, "\(what) must change the data version")
        }
        func expectSame(_ what: String) async throws {
            let version = try await store.dataVersion("acme").version
            #expect(seen.contains(version), "\(what) must not change the data version")
        }
        try await expectNew("the start")
        _ = try await store.putPeople("acme", [Person(id: "alice", displayName: "Alice")])
        try await expectNew("a new person")
        var alice = Person(id: "alice", displayName: "Alice")
        alice.timeOff = [.init(start: "2026-01-01", end: "2026-01-05")]
        _ = try await store.putPeople("acme", [alice])
        try await expectNew("time off")
        _ = try await store.putTickets("acme", .init(tickets: [ticket("ENG-1")], createMissingProjects: true))
        try await expectNew("a new ticket")
        _ = try await store.putTickets("acme", .init(tickets: [ticket("ENG-1", status: .done)]))
        try await expectNew("a resolved ticket")

        // The writes every recommendation makes, and other tenants' writes, leave it alone.
        try await store.putTicketSkills("acme", .init(ticket: "ENG-1", skills: [], contentHash: "abc"))
        _ = try await store.appendDecision("acme", Decision(ticket: "ENG-1", project: "ENG", mode: .suggested, chosen: "alice", actor: "system"))
        _ = try await store.putPeople("other", [Person(id: "bob", displayName: "Bob")])
        try await expectSame("decisions, ticket skills and other tenants")

        // A purged and re-created tenant never repeats a version that had people or tickets.
        let beforePurge = try await store.dataVersion("acme").version
        _ = try await store.purgeTenant("acme")
        _ = try await store.putTenant("acme", .init(name: "Acme"))
        #expect(try await store.dataVersion("acme").version != beforePurge)
        _ = try await store.putPeople("acme", [Person(id: "alice", displayName: "Alice")])
        try await expectNew("a person after the purge")
    }
}
