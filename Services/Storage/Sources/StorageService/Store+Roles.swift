import Contracts
import Foundation
import RPC

extension Store {
    /// Grants `assignment.role` to a principal in a project (`*` for every project).
    public func putRole(_ tenant: String, _ assignment: RoleAssignment) async throws -> RoleAssignment {
        _ = try Validation.key(assignment.principal, field: "principal")
        if assignment.project != "*" { _ = try Validation.projectKey(assignment.project) }
        try await writeRow(tenant, """
            INSERT INTO roles(tenant, principal, project, role) VALUES(?, ?, ?, ?)
            ON CONFLICT(tenant, principal, project) DO UPDATE SET role = excluded.role
            """, [.text(tenant), .text(assignment.principal), .text(assignment.project), .text(assignment.role.rawValue)])
        return assignment
    }

    /// Removes a principal's role in a project; NOT_FOUND if there was none.
    public func deleteRole(_ tenant: String, _ key: StorageContract.RoleKey) async throws {
        _ = try Validation.key(key.principal, field: "principal")
        _ = try Validation.key(key.project, field: "project")
        let removed = try await write { db in
            try db.run("DELETE FROM roles WHERE tenant = ? AND principal = ? AND project = ?",
                       [.text(tenant), .text(key.principal), .text(key.project)])
        }
        if removed == 0 { throw RPCError.notFound("role not found") }
    }

    /// Roles filtered by principal and/or project.
    public func listRoles(_ tenant: String, _ request: StorageContract.ListRolesRequest) async throws -> [RoleAssignment] {
        try await read { db in
            // The casts give PostgreSQL the parameters' type where a NULL is bound (it cannot tell it from IS NULL).
            let statement = try db.prepare("""
                SELECT principal, project, role FROM roles WHERE tenant = ? AND (CAST(?2 AS TEXT) IS NULL OR principal = ?2)
                AND (CAST(?3 AS TEXT) IS NULL OR project = ?3) ORDER BY principal, project
                """)
            try statement.bind([.text(tenant), .optional(request.principal), .optional(request.project)])
            var items: [RoleAssignment] = []
            while try statement.step() {
                guard let role = Role(rawValue: statement.text(2) ?? "") else { continue }
                items.append(RoleAssignment(principal: statement.text(0) ?? "", project: statement.text(1) ?? "", role: role))
            }
            return items
        }
    }
}
