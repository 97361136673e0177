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
