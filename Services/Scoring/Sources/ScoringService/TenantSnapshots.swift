import Contracts
import Foundation
import RPC
import Synchronization

/// Every tenant's ``TenantSnapshot``, kept until storage's data version for the tenant changes.
///
/// Each use needs storage's current data version: the caller's (read from storage after its request
/// began, e.g. with the ticket) or, without one, asked of storage (one small read). A snapshot is
/// reused only if it was loaded at that version or a later one of the same database opening, and a
/// new one is read after that version was observed, so a write acknowledged before a request
/// started is always seen by it. Concurrent requests share one load.
final class TenantSnapshots: Sendable {
    private struct Entry {
        let version: String
        /// The snapshot knows the effort of tickets updated since then.
        let effortSince: Date
        let task: Task<TenantSnapshot, any Error>
    }

    private let storage: StorageClient
    private let entries = Mutex<[String: Entry]>([:])

    init(storage: StorageClient) { self.storage = storage }

    /// The tenant's snapshot at `known` (a data version read after the request began) or, when nil,
    /// at storage's current data version, knowing the effort of the tickets updated since `effortSince` (by default
    /// the effort window before now; earlier for a ranking whose `now` is in the past).
    func snapshot(for tenant: String, known: String? = nil, effortSince: Date? = nil) async throws -> TenantSnapshot {
        let since = min(effortSince ?? .distantFuture, Date().addingTimeInterval(-TenantSnapshot.effortWindow))
        let metadata = Metadata(tenant: tenant, principal: "scoring")
        let version: String
        if let known {
            version = known
        } else {
            version = try await storage.call(StorageContract.dataVersion, .init(), metadata: metadata).version
        }
        let task = entries.withLock { entries -> Task<TenantSnapshot, any Error> in
            if let entry = entries[tenant], Self.version(entry.version, isAtLeast: version), entry.effortSince <= since { return entry.task }
            let storage = self.storage
            let task = Task { try await TenantSnapshots.load(version: version, effortSince: since, storage: storage, metadata: metadata) }
            entries[tenant] = Entry(version: version, effortSince: since, task: task)
            return task
        }
        do {
            return try await task.value
        } catch {
            entries.withLock { entries in
                if entries[tenant]?.version == version { entries.removeValue(forKey: tenant) }   // try again next time
            }
            throw error
        }
    }

    /// Whether data version `have` is `wanted` or later. Versions are `<epoch>-<counter>` (see
    /// `Store.dataVersion`); counters only grow within one epoch (one opening of the database), and
    /// versions of different epochs are not comparable, so only equal ones count then.
    static func version(_ have: String, isAtLeast wanted: String) -> Bool {
        if have == wanted { return true }
        guard let haveDash = have.lastIndex(of: "-"), let wantedDash = wanted.lastIndex(of: "-"),
              have[..<haveDash] == wanted[..<wantedDash],
              let haveCounter = Int64(have[have.index(after: haveDash)...]),
              let wantedCounter = Int64(wanted[wanted.index(after: wantedDash)...]) else { return false }
        return haveCounter >= wantedCounter
    }

    func drop(_ tenant: String) {
        _ = entries.withLock { $0.removeValue(forKey: tenant) }
    }

    /// Reads the active people (up to 20,000), the open tickets and the tickets updated in the effort
    /// window (up to 20,000 each), as the gateway used to on every request.
    private static func load(version: String, effortSince since: Date, storage: StorageClient, metadata: Metadata) async throws -> TenantSnapshot {
        var people: [Person] = []
        var cursor: String?
        repeat {
            let page = try await storage.call(StorageContract.listPeople, .init(cursor: cursor, limit: 1000, activeOnly: true),
                                              metadata: metadata)
            people += page.items
            cursor = page.next
        } while cursor != nil && people.count < 20_000
        let open = try await tickets(.init(status: [.todo, .inProgress]), storage: storage, metadata: metadata)
        let recent = try await tickets(.init(updatedSince: since), storage: storage, metadata: metadata)
        return TenantSnapshot(version: version, people: people, openTickets: open, recentTickets: recent, effortSince: since)
    }

    private static func tickets(_ filter: StorageContract.ListTicketsRequest, storage: StorageClient, metadata: Metadata,
                                cap: Int = 20_000) async throws -> [Ticket] {
        var request = filter
        request.limit = 1000
        var tickets: [Ticket] = []
        repeat {
            let page = try await storage.call(StorageContract.listTickets, request, metadata: metadata)
            tickets += page.items
            request.cursor = page.next
        } while request.cursor != nil && tickets.count < cap
        return tickets
    }
}
