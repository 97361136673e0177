import Contracts
import Foundation
import JiraClient
import RPC

extension API {
    /// The accountIds Jira says are assignable in `project`, or nil when the project is not synced from Jira.
    func jiraAssignable(_ project: String, _ context: RequestContext) async throws -> Set<String>? {
        guard jira != nil else { return nil }
        let setting = try await storage.call(StorageContract.getSetting, .init(JiraSyncEngine.assignableKey(project)), metadata: context.metadata)
        return try Self.assignable(setting.value)
    }

    /// The assignable people stored in a project's `jira.assignable.` setting (nil: no restriction).
    static func assignable(_ value: Data?) throws -> Set<String>? {
        guard let value else { return nil }
        return Set(try JSONDecoder().decode([String].self, from: value))
    }

    /// Assigns `ticket` to `assignee` in Jira when the tenant is connected and syncs the ticket's project:
    /// checks the account's ASSIGN_ISSUES permission in the project first. Nothing is written locally
    /// if this fails.
    func jiraWriteBack(_ ticket: Ticket, assignee: String, _ context: RequestContext) async throws {
        guard let jira, let connection = try await JiraRegistry.connection(tenant: context.principal.tenant, storage: storage),
              connection.projects.contains(ticket.project) else { return }
        let client = try jira.client(connection)
        do {
            let permissions = try await client.permissions(["ASSIGN_ISSUES"], projectKey: ticket.project)
            guard permissions["ASSIGN_ISSUES"] == true else {
                throw APIError.forbidden("SmartTicket's Jira account lacks the ASSIGN_ISSUES permission in \(ticket.project)")
            }
            try await client.assign(ticket.key, accountId: assignee)
        } catch let error as JiraError {
            logger.warning("jira assignment failed", ["status": .int(error.status), "call": .string(error.call)])
            switch error.status {
            case 400: throw APIError.badRequest("Jira refused the assignment: \(error.message)")
            case 403: throw APIError.forbidden("Jira refused the assignment: \(error.message)")
            case 404: throw APIError.notFound("the issue is not in Jira (or not visible to SmartTicket's account)")
            default: throw APIError(502, "JIRA_ERROR", error.description)
            }
        }
    }
}
