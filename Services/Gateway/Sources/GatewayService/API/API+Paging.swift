import Contracts
import Foundation
import RPC

extension API {
    /// Every person of the caller's tenant (up to `cap`), following the storage cursors.
    func allPeople(_ context: RequestContext, activeOnly: Bool = false, cap: Int = 20_000) async throws -> [Person] {
        try await StorageContract.PersonPage.collect(atLeast: cap) { cursor in
            try await storage.call(StorageContract.listPeople, .init(cursor: cursor, limit: 1000, activeOnly: activeOnly), metadata: context.metadata)
        }.items
    }

    /// Every ticket matching `filter` (its cursor and limit are ignored), up to `cap`.
    func allTickets(_ filter: StorageContract.ListTicketsRequest, _ context: RequestContext, cap: Int = 200_000) async throws -> [Ticket] {
        try await StorageContract.TicketPage.collect(atLeast: cap) { cursor in
            var request = filter
            request.limit = 1000
            request.cursor = cursor
            return try await storage.call(StorageContract.listTickets, request, metadata: context.metadata)
        }.items
    }
}
