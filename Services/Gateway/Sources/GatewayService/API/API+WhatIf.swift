import Contracts
import Foundation
import HTTP
import RPC

extension API {
    /// `POST /api/v1/whatif` with `{"project": KEY, "weights": [{"skillFit": 1, ...}, ...]}` (member or above on the
    /// project): replays the project's resolved tickets once per weight set and returns, side by side, the
    /// accuracy (in-pool top-1/3/5/10, MRR), the load spread (Gini of first choices per person) and the mean
    /// skill fit of the first choices.
    static func registerWhatIfRoutes(_ routes: inout RouteTable<Endpoint>) {
        routes.add("POST", "/api/v1/whatif", .inHandler(reason: "member of the body's project")) { api, context in
            struct Body: Decodable {
                let project: String
                let weights: [[String: Double]]
            }
            let body = try JSONCoding.decode(Body.self, from: context.request.body)
            guard !body.project.isEmpty, body.project.utf8.count <= 100 else { throw APIError.badRequest("project: required, at most 100 bytes") }
            try await api.authorizer.require(.member, in: body.project, for: context.principal)
            _ = try await api.storage.call(StorageContract.getProject, .init(body.project), metadata: context.metadata)
            let response = try await api.scoring.call(ScoringContract.whatIf, .init(project: body.project, weights: body.weights),
                                                      metadata: context.metadata, timeout: 120)
            return try json(response)
        }
    }
}
