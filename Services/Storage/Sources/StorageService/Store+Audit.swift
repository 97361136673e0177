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
        var filter = SQLFilter("SELECT id, at, actor, kind, project, target, before, after FROM audit WHERE tenant = ?", tenant: tenant)
        let cursor = try Cursor.decode(request.cursor)
        if cursor > 0 { filter.and("id < ?", .integer(cursor)) }
        if let beforeID = request.beforeID { filter.and("id < ?", .integer(beforeID)) }
        if let project = request.project {
            _ = try Validation.identifier(project, field: "project")
            filter.and("project = ?", .text(project))
        }
        let kinds = request.kinds ?? []
        for (index, kind) in kinds.enumerated() where StorageContract.AuditKind(rawValue: kind) == nil {
            throw RPCError.invalidArgument("kinds[\(index)]: must be one of \(StorageContract.AuditKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        filter.and("kind", in: kinds.map { .text($0) })
        if let target = request.target {
            _ = try Validation.identifier(target, field: "target")
            filter.and("target = ?", .text(target))
        }
        if let actor = request.actor {
            _ = try Validation.identifier(actor, field: "actor")
            filter.and("actor = ?", .text(actor))
        }
        if let since = request.since {
            try Validation.date(since, field: "since")
            filter.and("at >= ?", .date(since))
        }
        filter.page("id DESC", limit: limit)
        return try await readPage(filter, limit: limit, { statement in
            StorageContract.AuditRecord(
                id: statement.int(0), at: statement.date(1) ?? Date(), actor: statement.text(2) ?? "", kind: statement.text(3) ?? "",
                project: statement.text(4), target: statement.text(5) ?? "",
                before: statement.isNull(6) ? nil : Data(statement.blob(6)), after: statement.isNull(7) ? nil : Data(statement.blob(7)))
        }, position: { _, record in record.id })
    }
}
