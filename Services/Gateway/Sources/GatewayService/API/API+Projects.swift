import Contracts
import Foundation
import HTTP
import RPC

extension API {
    /// Validates `settings` and stores them as the project's, recorded in the audit record; answers what was stored.
    func saveSettings(_ settings: ProjectSettings, project key: String, _ context: RequestContext) async throws -> ProjectSettings {
        if let problem = settings.validationErrors().first { throw APIError.badRequest(problem) }
        if let fallback = settings.defaultAssignee {
            // The fallback is assigned as is: it must be a person of the tenant.
            guard fallback.utf8.count <= 255, !fallback.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }),
                  (try? await storage.call(StorageContract.getPerson, .init(fallback), metadata: context.metadata)) != nil else {
                throw APIError.badRequest("settings.defaultAssignee: unknown person")
            }
        }
        var project = try await storage.call(StorageContract.getProject, .init(key), metadata: context.metadata)
        let before = project.settings
        project.settings = settings
        let stored = try await storage.call(StorageContract.putProject, project, metadata: context.metadata).settings
        try await recordChange(.settings, project: key, target: key, before: before, after: stored, context)
        return stored
    }

    /// The role `subject` holds in project `key` as stored (nil for none), for the audit record of a role change.
    func storedRole(_ subject: String, in key: String, _ context: RequestContext) async throws -> String? {
        try await storage.call(StorageContract.listRoles, .init(principal: subject, project: key), metadata: context.metadata)
            .items.first?.role.rawValue
    }

    static func registerProjectRoutes(_ routes: inout RouteTable<Endpoint>) {
        routes.add("GET", "/api/v1/projects", .inHandler(reason: "lists only the projects the caller has a role in")) { api, context in
            let roles = try await api.authorizer.roles(of: context.principal)
            let projects = try await api.storage.call(StorageContract.listProjects, .init(), metadata: context.metadata).items
            let visible = projects.filter { roles[$0.key] != nil || roles["*"] != nil }.map { project in
                ProjectBody(key: project.key, name: project.name, role: [roles[project.key], roles["*"]].compactMap { $0 }.max()!.rawValue)
            }
            return try json(ListBody(items: visible, next: nil))
        }
        routes.add("GET", "/api/v1/projects/{key}/settings", .project(.viewer, parameter: "key")) { api, context in
            let key = context.param("key")
            return try json(try await api.storage.call(StorageContract.getProject, .init(key), metadata: context.metadata).settings)
        }
        routes.add("PUT", "/api/v1/projects/{key}/settings", .project(.admin, parameter: "key")) { api, context in
            let settings = try JSONCoding.decodeStrict(ProjectSettings.self, from: context.request.body)
            return try json(try await api.saveSettings(settings, project: context.param("key"), context))
        }
        // One field at a time (JSON Merge Patch, RFC 7396): the body's keys replace the stored ones, `weights` merges
        // factor by factor, null removes an optional field.
        routes.add("PATCH", "/api/v1/projects/{key}/settings", .project(.admin, parameter: "key")) { api, context in
            let key = context.param("key")
            guard let patch = try? JSONSerialization.jsonObject(with: Data(context.request.body)) as? [String: Any] else {
                throw APIError.badRequest("the body must be a JSON object of the settings to change, e.g. {\"autoAssign\": true}")
            }
            let current = try await api.storage.call(StorageContract.getProject, .init(key), metadata: context.metadata).settings
            let stored = try JSONSerialization.jsonObject(with: Data(JSONCoding.encode(current))) as? [String: Any] ?? [:]
            let merged = try JSONSerialization.data(withJSONObject: JSONMergePatch.apply(patch, to: stored))
            let settings = try JSONCoding.decodeStrict(ProjectSettings.self, from: Array(merged))
            return try json(try await api.saveSettings(settings, project: key, context))
        }
        routes.add("PUT", "/api/v1/projects/{key}/roles/{subject}", .project(.admin, parameter: "key")) { api, context in
            let key = context.param("key")
            let subject = context.param("subject")
            try await api.requireProject(key, context)
            struct Body: Codable { let role: Role }
            let body = try JSONCoding.decodeStrict(Body.self, from: context.request.body)
            let before = try await api.storedRole(subject, in: key, context)
            let stored = try await api.storage.call(StorageContract.putRole, RoleAssignment(principal: subject, project: key, role: body.role),
                                                    metadata: context.metadata)
            api.authorizer.invalidate(tenant: context.principal.tenant, subject: subject)
            try await api.recordChange(.role, project: key, target: subject, before: before, after: stored.role.rawValue, context)
            return try json(stored)
        }
        routes.add("DELETE", "/api/v1/projects/{key}/roles/{subject}", .project(.admin, parameter: "key")) { api, context in
            let key = context.param("key")
            let subject = context.param("subject")
            try await api.requireProject(key, context)
            let before = try await api.storedRole(subject, in: key, context)
            _ = try await api.storage.call(StorageContract.deleteRole, .init(principal: subject, project: key), metadata: context.metadata)
            api.authorizer.invalidate(tenant: context.principal.tenant, subject: subject)
            try await api.recordChange(.role, project: key, target: subject, before: before, after: nil, context)
            return noContent
        }
        routes.add("GET", "/api/v1/projects/{key}/decisions", .project(.viewer, parameter: "key")) { api, context in
            let key = context.param("key")
            try await api.requireProject(key, context)
            let page = try await api.storage.call(
                StorageContract.listDecisions, .init(project: key, cursor: context.query("cursor"), limit: try context.intQuery("limit")),
                metadata: context.metadata)
            let items = await api.decisionBodies(page.items, context)
            return try json(ListBody(items: items, next: page.next))
        }
    }
}

/// A project as listed to a principal, with the principal's role in it.
struct ProjectBody: Encodable {
    let key: String
    let name: String
    let role: String
}
