import Contracts
import Foundation
import HTTP
import RPC

extension API {
    /// Decisions a quality report reads at most (newest first): the window's, then the lookback before it.
    static let maxQualityDecisions = 200_000

    /// `GET /api/v1/projects/{key}/quality?weeks=N` (viewer): routing quality in production from the project's decision
    /// log (``RoutingQuality``), over the N ISO weeks (1 to 52, 12 by default) ending with the current one.
    static func registerQualityRoutes(_ routes: inout RouteTable<Endpoint>) {
        routes.add("GET", "/api/v1/projects/{key}/quality", .project(.viewer, parameter: "key")) { api, context in
            let key = context.param("key")
            let weeksText = context.query("weeks")
            let weeks = weeksText == nil ? 12 : Int(weeksText!) ?? 0
            guard (1...52).contains(weeks) else {
                throw APIError.badRequest("query parameter `weeks` must be an integer between 1 and 52")
            }
            _ = try await api.requireProject(key, context)
            let now = Date()
            let since = RoutingQuality.windowStart(weeks: weeks, now: now).addingTimeInterval(-RoutingQuality.lookback)
            let entries = try await api.decisionEntries(project: key, since: since, context)
            return try json(RoutingQuality.compute(project: key, entries: entries, weeks: weeks, now: now))
        }
    }

    /// The project's decisions at or after `since` (and the page reaching before it), newest first, as quality entries
    /// (the first three candidates only: a page's candidates are not kept), up to ``maxQualityDecisions``.
    func decisionEntries(project: String, since: Date, _ context: RequestContext) async throws -> [RoutingQuality.Entry] {
        var entries: [RoutingQuality.Entry] = []
        var cursor: String?
        repeat {
            let page = try await storage.call(StorageContract.listDecisions,
                                              .init(project: project, cursor: cursor, limit: 1000, newestFirst: true),
                                              metadata: context.metadata)
            entries += page.items.map(RoutingQuality.Entry.init)
            cursor = page.next
            if let oldest = page.items.last, oldest.at < since { break }
        } while cursor != nil && entries.count < API.maxQualityDecisions
        return entries
    }
}
