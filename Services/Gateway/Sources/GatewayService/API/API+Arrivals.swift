import Contracts
import Crypto
import Foundation
import HTTP
import RPC

extension API {
    /// Tickets a Jira sync saw arrive (created since its last run, open, unassigned): in a project that
    /// assigns automatically, each one nobody ranked yet (the webhook may have) gets its recommendation,
    /// recorded, and is assigned when the ranking is confident, as a ticket created through the API is.
    func arrived(_ tickets: [Ticket], tenant: String) async {
        let context = RequestContext(request: HTTPRequest(method: "POST", path: "/internal/jira-sync"), params: [:],
                                     principal: Principal(subject: "jira-sync", tenant: tenant, tokenRoles: [:], scheme: "sync"),
                                     traceID: Digest.randomIdentifier())
        for ticket in tickets {
            do {
                let stored = try await ticketContext(ticket.key, context)
                guard stored.project?.settings.autoAssign == true, stored.ticket.assignee == nil else { continue }
                let ranked = try await storage.call(StorageContract.listDecisions, .init(ticket: ticket.key, limit: 1), metadata: context.metadata)
                guard ranked.items.isEmpty else { continue }
                _ = try await recommend(stored, context)
            } catch {
                let status = APIError.from(error).status
                logger.warning("recommendation of an arriving ticket failed", ["status": .int(status), "error": .string(String(describing: type(of: error)))])
            }
        }
    }
}
