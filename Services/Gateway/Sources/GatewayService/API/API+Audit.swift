import Contracts
import Foundation
import HTTP
import RPC

extension API {
    /// Records an admin change in the tenant's audit record, after the change itself succeeded: who (the caller's
    /// principal), what (`kind`, `project`, `target`) and the JSON before and after. Nothing is recorded when nothing
    /// changed. When the record cannot be written, the request fails with 503 although the change stands: the promise
    /// is that *every* admin change is in the audit record, so a change that is not must not look like a success to
    /// the one who made it (repeating the request makes the change again, harmlessly, and records it).
    func recordChange<Value: Encodable & Equatable>(_ kind: StorageContract.AuditKind, project: String?, target: String,
                                                    before: Value?, after: Value?, _ context: RequestContext) async throws {
        guard before != after else { return }
        let request = StorageContract.AppendAuditRequest(
            actor: context.principal.subject, kind: kind, project: project, target: target,
            before: try before.map { Data(try JSONCoding.encode($0)) }, after: try after.map { Data(try JSONCoding.encode($0)) })
        do {
            _ = try await storage.call(StorageContract.appendAudit, request, metadata: context.metadata)
        } catch {
            logger.error("an admin change was made but not recorded in the audit record",
                         ["kind": .string(kind.rawValue), "error": .string(String(describing: type(of: error)))])
            throw APIError.unavailable("the change was made but could not be recorded in the audit log; repeat the request to record it")
        }
    }

    /// `GET /api/v1/audit` (admin of `project`, or of every project without it): decisions and admin changes in one
    /// list, newest first (``AuditQuery``, ``AuditCursor``).
    static func registerAuditRoutes(_ routes: inout RouteTable<Endpoint>) {
        routes.add("GET", "/api/v1/audit", .inHandler(reason: "admin of the `project` query parameter, or of every project (`*`) without it")) { api, context in
            let query = try AuditQuery(context)
            if let project = query.project {
                try await api.authorizer.require(.admin, in: project, for: context.principal)
                try await api.requireProject(project, context)
            } else if try await api.authorizer.roles(of: context.principal)["*"] != .admin {
                throw APIError.forbidden("the audit of every project needs the admin role for every project (`*`); "
                    + "an admin of a project reads its audit with `project=KEY`")
            }
            return try json(try await api.auditPage(query, context))
        }
    }

    /// One page of the audit list: up to `limit` of the newest decisions and of the newest changes after the cursor's
    /// positions, merged by time, the first `limit` kept; the next cursor holds where each source stopped.
    func auditPage(_ query: AuditQuery, _ context: RequestContext) async throws -> ListBody<AuditItem> {
        let position = query.cursor
        async let decisionPage: StorageContract.DecisionPage? = query.wantsDecisions && !position.decisionsDone
            ? storage.call(StorageContract.listDecisions, .init(
                project: query.project, limit: query.limit, newestFirst: true, modes: query.modes, beforeID: position.decisionsBefore,
                person: query.person, since: query.since, withoutCandidates: true), metadata: context.metadata)
            : nil
        async let changePage: StorageContract.AuditPage? = !query.changeKinds.isEmpty && !position.changesDone
            ? storage.call(StorageContract.listAudit, .init(
                project: query.project, kinds: query.changeKinds.count == StorageContract.AuditKind.allCases.count ? nil : query.changeKinds.map(\.rawValue),
                target: query.person, since: query.since, beforeID: position.changesBefore, limit: query.limit), metadata: context.metadata)
            : nil
        let decisions = try await decisionPage
        let changes = try await changePage
        let decisionItems = decisions?.items ?? []
        let changeItems = changes?.items ?? []
        var items: [AuditItem] = []
        var taken = (decisions: 0, changes: 0)
        while items.count < query.limit, taken.decisions < decisionItems.count || taken.changes < changeItems.count {
            let decision = taken.decisions < decisionItems.count ? decisionItems[taken.decisions] : nil
            let change = taken.changes < changeItems.count ? changeItems[taken.changes] : nil
            if let decision, change == nil || decision.at >= change!.at {
                items.append(AuditItem(decision))
                taken.decisions += 1
            } else if let change {
                items.append(AuditItem(change))
                taken.changes += 1
            }
        }
        var next = position
        if decisions == nil || (taken.decisions == decisionItems.count && decisions?.next == nil) {
            next.decisionsDone = true
        } else if taken.decisions > 0 {
            next.decisionsBefore = decisionItems[taken.decisions - 1].id
        }
        if changes == nil || (taken.changes == changeItems.count && changes?.next == nil) {
            next.changesDone = true
        } else if taken.changes > 0 {
            next.changesBefore = changeItems[taken.changes - 1].id
        }
        let names = await personNames(DecisionBody.people(items.compactMap(\.decision)), context)
        return ListBody(items: items.map { $0.named(names) }, next: next.decisionsDone && next.changesDone ? nil : next.encoded)
    }
}
