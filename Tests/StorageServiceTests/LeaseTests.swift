import Contracts
import Foundation
import RPC
import Testing
@testable import StorageService

/// A lease is held by one holder at a time until it expires or is released; its holder renews it.
@Suite struct LeaseTests {
    let now = Date(timeIntervalSince1970: 2_000_000_000)

    @Test(arguments: DatabaseEngine.allCases) func oneHolderAtATimeUntilItExpiresOrIsReleased(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            let a = try await store.acquireLease(.init(name: "jira-sync", holder: "pod-a", seconds: 60), now: now)
            #expect(a.held && a.holder == "pod-a")
            #expect(a.expiresAt == now.addingTimeInterval(60))
            let b = try await store.acquireLease(.init(name: "jira-sync", holder: "pod-b", seconds: 60), now: now.addingTimeInterval(30))
            #expect(!b.held && b.holder == "pod-a")
            // The holder renews: its lease now runs to 30 + 60.
            let renewed = try await store.acquireLease(.init(name: "jira-sync", holder: "pod-a", seconds: 60), now: now.addingTimeInterval(30))
            #expect(renewed.held && renewed.expiresAt == now.addingTimeInterval(90))
            #expect(!(try await store.acquireLease(.init(name: "jira-sync", holder: "pod-b", seconds: 60), now: now.addingTimeInterval(89))).held)
            // Expired: the next asker takes it.
            let taken = try await store.acquireLease(.init(name: "jira-sync", holder: "pod-b", seconds: 60), now: now.addingTimeInterval(91))
            #expect(taken.held && taken.holder == "pod-b")
            // Another lease is independent.
            #expect(try await store.acquireLease(.init(name: "retention", holder: "pod-a", seconds: 60), now: now).held)
            // Releasing someone else's lease does nothing; its holder's release frees it.
            #expect(try await store.releaseLease(.init(name: "jira-sync", holder: "pod-a")).holder == "pod-b")
            let released = try await store.releaseLease(.init(name: "jira-sync", holder: "pod-b"))
            #expect(!released.held && released.holder == nil)
            #expect(try await store.acquireLease(.init(name: "jira-sync", holder: "pod-a", seconds: 60), now: now.addingTimeInterval(92)).held)
        }
    }

    @Test(arguments: [
        (StorageContract.LeaseRequest(name: "", holder: "a", seconds: 60), "name: must not be empty"),
        (StorageContract.LeaseRequest(name: "x", holder: "", seconds: 60), "holder: must be 1 to 200 bytes"),
        (StorageContract.LeaseRequest(name: "x", holder: "a", seconds: 0), "seconds: must be between 1 and 86400"),
        (StorageContract.LeaseRequest(name: "x", holder: "a", seconds: 100_000), "seconds: must be between 1 and 86400"),
    ])
    func badRequestsNameTheField(request: StorageContract.LeaseRequest, message: String) async throws {
        try await withStore { store, _ in
            await #expect(throws: RPCError.invalidArgument(message)) { try await store.acquireLease(request) }
        }
    }
}

/// Old suggestions are pruned in every tenant; what was assigned, overridden or auto-assigned stays.
@Suite struct RetentionTests {
    @Test(arguments: DatabaseEngine.allCases) func onlySuggestionsOlderThanTheCutoffAreDeleted(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            _ = try await store.putTenant("globex", .init(name: "Globex"))
            let cutoff = Date().addingTimeInterval(-180 * 86_400)
            for tenant in ["acme", "globex"] {
                try await store.putProject(tenant, Project(key: "ENG", name: "Engineering"))
                for (index, mode) in Decision.Mode.allCases.enumerated() {
                    for (age, at) in [("old", cutoff.addingTimeInterval(-86_400)), ("new", cutoff.addingTimeInterval(86_400))] {
                        _ = try await store.appendDecision(tenant, Decision(ticket: "ENG-\(index)-\(age)", project: "ENG", mode: mode,
                                                                            chosen: "alice", actor: "system", at: at))
                    }
                }
            }
            #expect(try await store.pruneDecisions(before: cutoff) == 2)
            for tenant in ["acme", "globex"] {
                let left = try await store.listDecisions(tenant, .init(limit: 100)).items
                #expect(left.count == Decision.Mode.allCases.count * 2 - 1)
                #expect(!left.contains { $0.mode == .suggested && $0.at < cutoff })
                #expect(left.contains { $0.mode == .suggested && $0.at > cutoff })
                for mode in Decision.Mode.allCases where mode != .suggested {
                    #expect(left.filter { $0.mode == mode }.count == 2, "\(mode)")
                }
            }
            #expect(try await store.pruneDecisions(before: cutoff) == 0)
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func pruningGoesInBatches(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            try await store.putProject("acme", Project(key: "ENG", name: "Engineering"))
            let old = Date().addingTimeInterval(-400 * 86_400)
            for index in 0..<(Store.pruneBatch + 7) {
                _ = try await store.appendDecision("acme", StorageContract.DecisionRecord(
                    Decision(ticket: "ENG-\(index)", project: "ENG", mode: .suggested, chosen: nil, actor: "system", at: old)))
            }
            #expect(try await store.pruneDecisions(before: Date()) == Store.pruneBatch + 7)
            #expect(try await store.listDecisions("acme", .init(limit: 10)).items.isEmpty)
        }
    }
}

/// Every recommendation appends a suggestion: the decisions' indexes for what suggestions never need (the kept
/// decisions by mode and person) leave them out, and the queries still use them.
@Suite struct DecisionIndexTests {
    func plan(_ store: Store, _ sql: String, _ values: [SQLValue]) async throws -> String {
        try await store.read { db in
            let statement = try db.prepare("EXPLAIN QUERY PLAN " + sql)
            try statement.bind(values)
            var details: [String] = []
            while try statement.step() { details.append(statement.text(3) ?? "") }
            return details.joined(separator: "; ")
        }
    }

    @Test func suggestionsUpdateThreeIndexesAndTheQueriesUseThem() async throws {
        try await withStore(on: .sqlite) { store, _ in
            let indexes = try await store.read { db -> [String: String] in
                let statement = try db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'decisions' AND sql IS NOT NULL")
                var found: [String: String] = [:]
                while try statement.step() { found[statement.text(0) ?? ""] = statement.text(1) ?? "" }
                return found
            }
            // A suggestion is in the indexes by ticket, by project and (for retention) by date; the others leave it out.
            let withSuggestions = indexes.filter { !$0.value.contains("WHERE mode <> 'suggested'") }.keys.sorted()
            #expect(withSuggestions == ["decisions_by_project", "decisions_by_ticket", "decisions_suggested_by_at"], "\(indexes)")
            #expect(indexes.count == 6, "\(indexes.keys.sorted())")

            // What scoring follows (overrides after an id), and the audit's decisions by person, read the kept indexes
            // (never the suggestions).
            _ = try await store.listDecisions("acme", .init(limit: 10, modes: [.override], afterID: 0))
            let overrides = try await plan(store, "SELECT id FROM decisions WHERE tenant = ? AND id > ? AND mode IN ('override') AND mode <> 'suggested' ORDER BY id",
                                           [.text("acme"), .integer(0)])
            #expect(overrides.contains("decisions_kept_by_mode"), "\(overrides)")
            let byPerson = try await plan(store, "SELECT id FROM decisions WHERE tenant = ? AND (chosen = ? OR previous = ?) AND mode <> 'suggested' ORDER BY id DESC",
                                          [.text("acme"), .text("ana"), .text("ana")])
            #expect(byPerson.contains("decisions_kept_by_"), "reads only the kept decisions: \(byPerson)")
            let pruning = try await plan(store, "SELECT id FROM decisions WHERE mode = 'suggested' AND at < ? ORDER BY at LIMIT 10", [.real(0)])
            #expect(pruning.contains("decisions_suggested_by_at"), "\(pruning)")
        }
    }
}
