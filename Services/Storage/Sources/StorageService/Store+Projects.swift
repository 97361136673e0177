import Contracts
import Foundation
import RPC

extension Store {
    /// Creates or updates a project.
    public func putProject(_ tenant: String, _ project: Project) async throws -> Project {
        _ = try Validation.projectKey(project.key, field: "key")
        try Validation.text(project.name, field: "name", maxBytes: Validation.maxNameLength)
        if let problem = project.settings.validationErrors().first { throw RPCError.invalidArgument(problem) }
        let settings = try Store.json(project.settings)
        try await writeRow(tenant, """
            INSERT INTO projects(tenant, key, name, settings) VALUES(?, ?, ?, ?)
            ON CONFLICT(tenant, key) DO UPDATE SET name = excluded.name, settings = excluded.settings
            """, [.text(tenant), .text(project.key), .text(project.name), settings])
        return project
    }

    /// The project, or NOT_FOUND.
    public func getProject(_ tenant: String, _ key: String) async throws -> Project {
        _ = try Validation.key(key, field: "key")
        return try await readOne("SELECT key, name, settings FROM projects WHERE tenant = ? AND key = ?", [.text(tenant), .text(key)],
                                 missing: "project not found") { try Store.project($0) }
    }

    /// Every project of the tenant, by key.
    public func listProjects(_ tenant: String) async throws -> [Project] {
        try await read { db in
            let statement = try db.prepare("SELECT key, name, settings FROM projects WHERE tenant = ? ORDER BY key")
            try statement.bind([.text(tenant)])
            var projects: [Project] = []
            while try statement.step() { projects.append(try Store.project(statement)) }
            return projects
        }
    }

    static func project(_ statement: Statement) throws -> Project {
        Project(key: statement.text(0) ?? "", name: statement.text(1) ?? "",
                settings: try statement.withBlob(2) { try settingsCache.decode($0) })
    }

    /// Decoded project settings by their stored JSON: every recommendation reads its project, and
    /// decoding the settings' weights with `JSONDecoder` cost more than the rest of the read.
    static let settingsCache = DecodedJSONCache<ProjectSettings>()
}
