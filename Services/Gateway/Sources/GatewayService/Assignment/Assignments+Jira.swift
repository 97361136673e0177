import Contracts
import Foundation
import JiraClient
import RPC

extension Assignments {
    /// The accountIds Jira says are assignable in `project`, or nil when the project is not synced from Jira.
    func jiraAssignable(_ project: String, _ caller: Metadata) async throws -> Set<String>? {
        guard jira != nil else { return nil }
        let setting = try await storage.call(StorageContract.getSetting, .init(JiraSyncEngine.assignableKey(project)), metadata: caller)
        return try Self.assignable(setting.value)
    }

    /// The assignable people stored in a project's `jira.assignable.` setting (nil: no restriction).
    static func assignable(_ value: Data?) throws -> Set<String>? {
        guard let value else { return nil }
        return Set(try JSONDecoder().decode([String].self, from: value))
    }

    /// Assigns `ticket` to `assignee` in Jira when the tenant is connected and syncs the ticket's project
    /// (``jiraAssigner(project:_:)``, then ``JiraAssigner/assign(_:to:)``). Nothing is written locally
    /// if this throws.
    /// With `explanation` (the project explains in Jira), the reasons are then commented on the issue; a comment Jira
    /// refuses is logged, and the assignment stands.
    func jiraWriteBack(_ ticket: Ticket, assignee: String, explanation: JiraExplanation? = nil, _ caller: Metadata) async throws {
        guard let assigner = try await jiraAssigner(project: ticket.project, caller) else { return }
        try await assigner.assign(ticket.key, to: assignee)
        guard let explanation else { return }
        do {
            try await assigner.client.addComment(ticket.key, document: explanation.document)
        } catch {
            logger.warning("jira comment failed", ["status": .int((error as? JiraError)?.status ?? 0)])
        }
    }

    /// What writes assignments of `project` to Jira, or nil when the tenant is not connected or the
    /// connection does not sync `project` (assignments then stay local). Checks the account's
    /// ASSIGN_ISSUES permission in the project first: 403 without it.
    func jiraAssigner(project: String, _ caller: Metadata) async throws -> JiraAssigner? {
        guard let jira, let connection = try await JiraRegistry.connection(tenant: caller.tenant ?? "", storage: storage),
              connection.projects.contains(project) else { return nil }
        let assigner = JiraAssigner(client: try jira.client(connection), logger: logger)
        let permissions: [String: Bool]
        do {
            permissions = try await assigner.client.permissions(["ASSIGN_ISSUES"], projectKey: project)
        } catch let error as JiraError {
            throw assigner.refusal(error)
        }
        guard permissions["ASSIGN_ISSUES"] == true else {
            throw APIError.forbidden("SmartTicket's Jira account lacks the ASSIGN_ISSUES permission in \(project)")
        }
        return assigner
    }
}
