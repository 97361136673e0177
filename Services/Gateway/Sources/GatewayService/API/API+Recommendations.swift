import Contracts
import Crypto
import Foundation
import HTTP
import JSONKit
import RPC

extension API {
    /// Routes whose handler starts by reading the ticket of `{key}` (``visibleTicketContext(_:_:minimum:)``), which
    /// ``handle(_:endpoint:params:pattern:)`` reads while it checks the token's revocation: the recommendation, the hot path,
    /// pays for one storage round trip instead of two in a row.
    static let readsTicketFirst: Set<String> = ["/api/v1/tickets/{key}/recommendations", "/api/v1/tickets/{key}/assignment"]

    static func registerRecommendationRoutes(_ routes: inout RouteTable<Endpoint>) {
        routes.add("GET", "/api/v1/tickets/{key}/recommendations", .inHandler(reason: "viewer of the stored ticket's project")) { api, context in
            // A preview: looking records no decision and assigns nobody.
            let ticket = try await api.visibleTicketContext(context.param("key"), context, minimum: .viewer)
            var body = try await api.assignments.preview(ticket, context.metadata)
            body.preview = true
            return HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: try body.json())
        }
        routes.add("POST", "/api/v1/tickets/{key}/recommendations", .inHandler(reason: "member of the stored ticket's project")) { api, context in
            let ticket = try await api.visibleTicketContext(context.param("key"), context, minimum: .member)
            let body = try await api.assignments.recommend(ticket, context.metadata)
            return HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: try body.json())
        }
        routes.add("POST", "/api/v1/tickets/{key}/assignment", .inHandler(reason: "member of the stored ticket's project")) { api, context in
            let stored = try await api.visibleTicketContext(context.param("key"), context, minimum: .member)
            struct Body: Decodable {
                let assignee: String
                let reason: String?
            }
            let body = try JSONCoding.decode(Body.self, from: context.request.body)
            if let reason = body.reason, reason.utf8.count > 2000 { throw APIError.badRequest("reason: longer than 2000 bytes") }
            let decision = try await api.assignments.assign(stored, to: body.assignee, reason: body.reason, context.metadata)
            let answer = await api.decisionBodies([decision], context)[0]
            return try json(answer)
        }
    }
}
