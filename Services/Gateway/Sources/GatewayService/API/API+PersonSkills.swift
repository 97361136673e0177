import Contracts
import Foundation
import HTTP
import RPC

extension API {
    /// `GET /api/v1/people/{id}/skills` (any role in the tenant, like `GET /api/v1/people/{id}`): the person's skill
    /// profile, their declared skills merged with what scoring learned from the tickets they resolved (the skills the skills
    /// service detected in them) and the overrides away from them.
    static func registerPersonSkillsRoute(_ routes: inout RouteTable<Endpoint>) {
        routes.add("GET", "/api/v1/people/{id}/skills", .anyRole) { api, context in
            let person = try await api.storage.call(StorageContract.getPerson, .init(context.param("id")), metadata: context.metadata)
            let learned = try await api.scoring.call(ScoringContract.profile, .init(person: person.id), metadata: context.metadata)
            return try json(ListBody(items: PersonSkill.merge(declared: person.declaredSkills, learned: learned.items), next: nil))
        }
    }
}
