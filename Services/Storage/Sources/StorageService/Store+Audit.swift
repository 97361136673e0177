import Contracts
import Foundation
import RPC

extension Store {
    /// The largest `before` or `after` value of an audit record.
    static let maxAuditValueBytes = 1 << 20

    /// Appends an admin change to the tenant's audit record (append-only, kept until the tenant is deleted), stamped
    /// with the time storage records it; answers it with its id.
    public func appendAudit(_ tenant: String, _ request: StorageContract.AppendAuditRequest) async throws -> StorageContract.AuditRecord {
        _ = try Validation.identifier(request.actor, field: "actor")
        guard StorageContract.AuditKind(rawValue: request.kind) != nil else {
            throw RPCError.invalidArgument("kind: must be one of \(StorageContract.AuditKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let project = request.project { _ = try Validation.projectKey(project) }
        _ = try Validation.identifier(request.target, field: "target")
        for (field, value) in [("before", request.before), ("after", request.after)] {
            guard let value else { continue }
            guard value.count <= Self.maxAuditValueBytes else { throw RPCError.invalidArgument("\(field): larger than 1 MiB") }
            guard (try? JSONSerialization.jsonObject(with: value, options: [.fragmentsAllowed])) != nil else {
                throw RPCError.invalidArgument("\(field): not JSON")
            }
        }
        // Whole milliseconds: the same value on both engines, and in the API's dates.
        let at = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        let id = try await write { db in
            try Store.requireTenant(db, tenant)
            return try db.insert("""
                INSERT INTO audit(tenant, at, actor, kind, project, target, before, after) VALUES(?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(tenant), .date(at), .text(request.actor), .text(request.kind), .optional(request.project), .text(request.target),
                      request.before.map { .blob(Array($0)) } ?? .null, request.after.map { .blob(Array($0)) } ?? .null], returning: "id")
        }
        return .init(id: id, at: at, actor: request.actor, kind: request.kind, project: request.project, target: request.target,
                     before: request.before, after: request.after)
    }

    /// The tenant's admin changes matching the request's filters, newest first, paged.
    public func listAudit(_ tenant: String, _ request: StorageContract.ListAuditRequest) async throws -> StorageContract.AuditPage {
        let limit = try Validation.limit(request.limit)
        var sql = "SELECT id, at, actor, kind, project, target, before, after FROM audit WHERE tenant = ?"
        var bindings: [SQLValue] = [.text(tenant)]
        let cursor = try Cursor.decode(request.cursor)
        if cursor > 0 {
            sql += " AND id < ?"
            bindings.append(.integer(cursor))
        }
        if let beforeID = request.beforeID {
            sql += " AND id < ?"
            bindings.append(.integer(beforeID))
        }
        if let project = request.project {
            _ = try Validation.identifier(project, field: "project")
            sql += " AND project = ?"
            bindings.append(.text(project))
        }
        if let kinds = request.kinds, !kinds.isEmpty {
            for (index, kind) in kinds.enumerated() where StorageContract.AuditKind(rawValue: kind) == nil {
                throw RPCError.invalidArgument("kinds[\(index)]: must be one of \(StorageContract.AuditKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            sql += " AND kind IN (" + kinds.map { _ in "?" }.joined(separator: ",") + ")"
            bindings += kinds.map { .text($0) }
        }
        if let target = request.target {
            _ = try Validation.identifier(target, field: "target")
            sql += " AND target = ?"
            bindings.append(.text(target))
        }
        if let since = request.since {
            try Validation.date(since, field: "since")
            sql += " AND at >= ?"
            bindings.append(.date(since))
        }
        sql += " ORDER BY id DESC LIMIT ?"
        bindings.append(.integer(Int64(limit + 1)))
        let query = sql
        let values = bindings
        return try await read { db in
            let statement = try db.prepare(query)
            try statement.bind(values)
            var items: [StorageContract.AuditRecord] = []
            while try statement.step() {
                if items.count == limit { return .init(items: items, next: Cursor.encode(items.last!.id)) }
                items.append(.init(
                    id: statement.int(0), at: statement.date(1) ?? Date(), actor: statement.text(2) ?? "", kind: statement.text(3) ?? "",
                    project: statement.text(4), target: statement.text(5) ?? "",
                    before: statement.isNull(6) ? nil : Data(statement.blob(6)), after: statement.isNull(7) ? nil : Data(statement.blob(7))))
            }
            return .init(items: items, next: nil)
        }
    }
}
