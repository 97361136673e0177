import Contracts
import Foundation
import HTTP
import RPC

extension API {
    /// `GET /api/v1/people/{id}/skills` (any role in the tenant, like `GET /api/v1/people/{id}`): the person's skill
    /// profile, their declared skills merged with what the skills service learned from the tickets they resolved.
    static func registerPersonSkillsRoute(_ routes: inout RouteTable<Handler>) {
        routes.add("GET", "/api/v1/people/{id}/skills") { api, context in
            guard !(try await api.authorizer.roles(of: context.principal)).isEmpty else { throw APIError.forbidden() }
            let person = try await api.storage.call(StorageContract.getPerson, .init(context.param("id")), metadata: context.metadata)
            let learned = try await api.skills.call(SkillsContract.profile, .init(person: person.id), metadata: context.metadata)
            return try json(ListBody(items: PersonSkill.merge(declared: person.declaredSkills, learned: learned.items), next: nil))
        }
    }
}
