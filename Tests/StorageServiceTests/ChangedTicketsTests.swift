import Contracts
import Foundation
import Testing
@testable import StorageService

/// Another process follows what changed: tickets written after a data version, in the order written, and the
/// decisions of some modes after an id.
@Suite struct ChangedTicketsTests {
    func ticket(_ key: String, _ title: String = "a ticket") -> Ticket {
        Ticket(key: key, project: "ENG", title: title, created: Date(timeIntervalSince1970: 1_700_000_000))
    }

    func counter(_ store: Store, _ tenant: String = "acme") async throws -> Int64 {
        try #require(try await store.dataVersion(tenant).parts?.counter)
    }

    @Test(arguments: DatabaseEngine.allCases) func ticketsWrittenAfterAVersionComeInTheOrderWritten(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            _ = try await store.putTenant("globex", .init(name: "Globex"))
            _ = try await store.putTickets("acme", .init(tickets: [ticket("ENG-1"), ticket("ENG-2")], createMissingProjects: true))
            let seen = try await counter(store)
            #expect(try await store.changedTickets("acme", since: 0, limit: nil).items.map(\.key) == ["ENG-1", "ENG-2"])
            #expect(try await store.changedTickets("acme", since: seen, limit: nil).items.isEmpty)

            _ = try await store.putTickets("acme", .init(tickets: [ticket("ENG-3")]))
            _ = try await store.putTickets("acme", .init(tickets: [ticket("ENG-1", "renamed")]))
            _ = try await store.putTickets("acme", .init(tickets: [ticket("ENG-2")]))   // unchanged: not a write
            _ = try await store.putTickets("globex", .init(tickets: [ticket("ENG-9")], createMissingProjects: true))
            let changed = try await store.changedTickets("acme", since: seen, limit: nil)
            #expect(changed.items.map(\.key) == ["ENG-3", "ENG-1"])
            #expect(changed.items.last?.title == "renamed")
            #expect(changed.last == (try await counter(store)))
            #expect(!changed.more)

            let first = try await store.changedTickets("acme", since: seen, limit: 1)
            #expect(first.items.map(\.key) == ["ENG-3"] && first.more)
            #expect(try await store.changedTickets("acme", since: first.last, limit: 1).items.map(\.key) == ["ENG-1"])
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func decisionsOfSomeModesAfterAnID(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            try await store.putProject("acme", Project(key: "ENG", name: "Engineering"))
            var ids: [Int64] = []
            for (index, mode) in [Decision.Mode.suggested, .override, .manual, .override, .suggested].enumerated() {
                ids.append(try await store.appendDecision("acme", Decision(ticket: "ENG-\(index)", project: "ENG", mode: mode, chosen: "bob",
                                                                          previous: "alice", actor: "lead")).id)
            }
            let overrides = try await store.listDecisions("acme", .init(modes: [.override]))
            #expect(overrides.items.map(\.id) == [ids[1], ids[3]])
            #expect(try await store.listDecisions("acme", .init(modes: [.override], afterID: ids[1])).items.map(\.id) == [ids[3]])
            #expect(try await store.listDecisions("acme", .init(modes: [.manual, .suggested])).items.count == 3)
            #expect(try await store.listDecisions("acme", .init(afterID: ids[3])).items.map(\.id) == [ids[4]])
        }
    }
}
