import Contracts
import Foundation
import RPC

extension API {
    /// Every person of the caller's tenant (up to `cap`), following the storage cursors.
    func allPeople(_ context: RequestContext, activeOnly: Bool = false, cap: Int = 20_000) async throws -> [Person] {
        var people: [Person] = []
        var cursor: String?
        repeat {
            let page = try await storage.call(StorageContract.listPeople, .init(cursor: cursor, limit: 1000, activeOnly: activeOnly),
                                              metadata: context.metadata)
            people += page.items
            cursor = page.next
        } while cursor != nil && people.count < cap
        return people
    }

    /// Every ticket matching `filter` (its cursor and limit are ignored), up to `cap`.
    func allTickets(_ filter: StorageContract.ListTicketsRequest, _ context: RequestContext, cap: Int = 200_000) async throws -> [Ticket] {
        var request = filter
        request.limit = 1000
        request.cursor = nil
        var tickets: [Ticket] = []
        repeat {
            let page = try await storage.call(StorageContract.listTickets, request, metadata: context.metadata)
            tickets += page.items
            request.cursor = page.next
        } while request.cursor != nil && tickets.count < cap
        return tickets
    }
}
