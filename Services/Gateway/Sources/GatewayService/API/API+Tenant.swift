import Contracts
import Foundation
import HTTP
import RPC
import Workflows

extension API {
    static func registerTenantRoutes(_ routes: inout RouteTable<Endpoint>) {
        routes.add("DELETE", "/api/v1/tenant", .tenantAdmin(action: "uninstalling")) { api, context in
            let result = try await api.storage.call(StorageContract.purgeTenant, .init(), metadata: context.metadata, timeout: 120)
            // Every scoring and skills instance forgets the tenant before the answer: a tenant created again starts empty.
            // If a running instance cannot be told, the call fails and may be repeated (the purge is idempotent).
            try await api.learning.forget(metadata: context.metadata)
            api.assignments.skillVocabularies.forget(tenant: context.principal.tenant)
            api.logger.notice("tenant purged through the API", ["rows": .int(result.rowsDeleted)])
            return try json(["deleted": result.rowsDeleted])
        }
        routes.add("POST", "/api/v1/import", .inHandler(reason: "member of the project of every line")) { api, context in
            let roles = try await api.authorizer.roles(of: context.principal)
            guard !context.request.body.isEmpty else { throw APIError.badRequest("a JSONL body is required") }
            let lines = HistoryReader.parse(Data(context.request.body))
            var projects = Set<String>()
            for line in lines { if case .success(let record) = line.result { projects.insert(record.project) } }
            for project in projects.sorted() where [roles[project], roles["*"]].compactMap({ $0 }).max() != .admin {
                throw APIError.forbidden("importing into \(project) needs the admin role there")
            }
            let summary = try await HistoryImporter(storage: api.storage, tenant: context.principal.tenant, scoring: api.scoring,
                                                       skills: api.skills).run(lines)
            api.metrics.imported(created: summary.created, updated: summary.updated, unchanged: summary.unchanged, rejected: summary.rejected.count)
            return try json(ImportReport(summary))
        }
    }
}

/// The answer of `POST /api/v1/import`: counts and a per-line error report.
struct ImportReport: Encodable {
    struct LineError: Encodable {
        let line: Int
        let reason: String
    }

    let created: Int
    let updated: Int
    let unchanged: Int
    let rejected: [LineError]
    /// Lines imported as they are that look wrong.
    let warnings: [LineError]

    init(_ summary: HistoryImporter.Summary) {
        created = summary.created
        updated = summary.updated
        unchanged = summary.unchanged
        rejected = summary.rejected.map { LineError(line: $0.line, reason: $0.reason) }
        warnings = summary.warnings.map { LineError(line: $0.line, reason: $0.reason) }
    }
}
