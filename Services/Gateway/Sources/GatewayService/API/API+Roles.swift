import Contracts
import Foundation
import HTTP
import RPC

extension API {
    /// `GET /api/v1/projects/{key}/roles` (admin): the roles stored for the project, then those stored for every project
    /// (`*`), by subject. Roles a token carries in its own claims are not stored and not listed.
    static func registerRoleListRoute(_ routes: inout RouteTable<Endpoint>) {
        routes.add("GET", "/api/v1/projects/{key}/roles", .project(.admin, parameter: "key")) { api, context in
            let key = context.param("key")
            _ = try await api.requireProject(key, context)
            let own = try await api.storage.call(StorageContract.listRoles, .init(project: key), metadata: context.metadata).items
            let everywhere = key == "*" ? [] : try await api.storage.call(StorageContract.listRoles, .init(project: "*"),
                                                                          metadata: context.metadata).items
            return try json(ListBody(items: own + everywhere, next: nil))
        }
    }
}
