import Contracts
import Foundation
import HTTP
import RPC

extension API {
    /// The custom skills that differ between `before` and `after`, by id: as they were (absent when added) and as they
    /// are (absent when removed).
    static func changedCustomSkills(before: [CustomSkill], after: [CustomSkill]) -> (before: [String: CustomSkill], after: [String: CustomSkill]) {
        let old = Dictionary(before.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        let new = Dictionary(after.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        let changed = Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }
        return (old.filter { changed.contains($0.key) }, new.filter { changed.contains($0.key) })
    }

    static func registerSkillRoutes(_ routes: inout RouteTable<Endpoint>) {
        routes.add("GET", "/api/v1/skills/custom", .anyRole) { api, context in
            let list = try await api.skills.call(SkillsContract.listCustomSkills, .init(), metadata: context.metadata)
            return try json(ListBody(items: list.items, next: nil))
        }
        routes.add("PUT", "/api/v1/skills/custom", .tenantAdmin(action: "changing custom skills")) { api, context in
            struct Body: Codable { let items: [CustomSkill] }
            let body = try JSONCoding.decodeStrict(Body.self, from: context.request.body)
            let before = try await api.skills.call(SkillsContract.listCustomSkills, .init(), metadata: context.metadata).items
            let stored = try await api.skills.call(SkillsContract.putCustomSkills, .init(items: body.items), metadata: context.metadata)
            // The instance that stored them reloaded; every other one must too before the answer.
            try await api.learning.reloadSkills(metadata: context.metadata)
            api.assignments.skillVocabularies.forget(tenant: context.principal.tenant)
            // The audit record keeps only the skills that changed, by id (before: as they were; after: as they are now).
            let (removed, added) = API.changedCustomSkills(before: before, after: stored.items)
            try await api.recordChange(.customSkills, project: nil, target: "*", before: removed, after: added, context)
            return try json(ListBody(items: stored.items, next: nil))
        }
        routes.add("POST", "/api/v1/skills/detect", .anyRole) { api, context in
            let body = try JSONCoding.decode(DetectBody.self, from: context.request.body)
            return try json(try await api.skills.call(SkillsContract.detect, body.request, metadata: context.metadata))
        }
    }
}

/// The body of `POST /api/v1/skills/detect`: a title, and optionally the rest of a ticket's text.
struct DetectBody: Decodable {
    let title: String
    let description: String?
    let components: [String]?
    let labels: [String]?
    let useModel: Bool?

    var request: SkillsContract.DetectRequest {
        .init(title: title, description: description ?? "", components: components ?? [], labels: labels ?? [], useModel: useModel)
    }
}
