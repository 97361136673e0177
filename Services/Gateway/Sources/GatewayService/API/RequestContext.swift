import Contracts
import Foundation
import HTTP
import RPC

/// One authenticated API request.
struct RequestContext: Sendable {
    let request: HTTPRequest
    let params: [String: String]
    let principal: Principal
    let traceID: String
    /// The ticket of the route's `{key}`, read while the token's revocation was checked (routes in
    /// ``API/readsTicketFirst``); ``API/visibleTicketContext(_:_:minimum:)`` takes it.
    var prefetchedTicket: Task<StorageContract.TicketContext, any Error>? = nil

    /// Metadata for backend calls: the principal's tenant scopes everything.
    var metadata: Metadata { Metadata(tenant: principal.tenant, principal: principal.subject, traceID: traceID) }

    /// A path parameter (always present for its route).
    func param(_ name: String) -> String { params[name] ?? "" }

    /// A query parameter, percent-decoded.
    func query(_ name: String) -> String? { queryItems[name] }

    var queryItems: [String: String] { Self.queryItems(request.query) }

    /// The percent-decoded parameters of a query string (`+` is a space; the last of a repeated name wins).
    static func queryItems(_ query: String?) -> [String: String] {
        guard let query else { return [:] }
        var items: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard let key = parts.first?.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else { continue }
            let value = parts.count > 1 ? (parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "") : ""
            items[key] = value
        }
        return items
    }

    /// An integer query parameter, or 400 naming it.
    func intQuery(_ name: String) throws -> Int? {
        guard let text = query(name) else { return nil }
        guard let value = Int(text) else { throw APIError.badRequest("query parameter `\(name)` must be an integer") }
        return value
    }
}
