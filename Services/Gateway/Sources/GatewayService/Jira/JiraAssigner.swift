import Foundation
import JiraClient
import Observability

/// Writes assignments of one Jira-synced project to Jira, for every path that assigns: the manual
/// assignment, auto-assign and rebalance (apply and undo). Made by ``API/jiraAssigner(project:_:)``
/// once the account's ASSIGN_ISSUES permission in the project is checked.
///
/// Each write is ``JiraClient/assign(_:accountId:)``: a 429 is re-sent after its wait, a 503 or a lost
/// answer is read back and re-sent only if not applied, at most ``RetryPolicy/maxRetries`` times. What
/// Jira refuses, or what is still failing after the retries, is thrown as the ``APIError`` the API
/// answers: 400 (Jira refused the value, e.g. not assignable), 403, 404, 409 (Jira reported a
/// conflict), otherwise 502 `JIRA_ERROR`. The caller writes nothing locally when it throws.
struct JiraAssigner: Sendable {
    let client: JiraClient
    let logger: Logger

    /// Assigns issue `key` to `accountId` (nil: unassigns) in Jira.
    func assign(_ key: String, to accountId: String?) async throws {
        do {
            try await client.assign(key, accountId: accountId)
        } catch let error as JiraError {
            throw refusal(error)
        }
    }

    /// Assigns each of `writes` in Jira, as many at once as the site's in-flight limit lets through
    /// (``JiraClient``'s limiter); for each write, in order, nil when Jira took it or else the error
    /// ``assign(_:to:)`` throws, as the API would answer it.
    func assignEach(_ writes: [(key: String, accountId: String?)]) async -> [APIError?] {
        await withTaskGroup(of: (Int, APIError?).self) { group in
            for (index, write) in writes.enumerated() {
                group.addTask {
                    do {
                        try await assign(write.key, to: write.accountId)
                        return (index, nil)
                    } catch {
                        return (index, APIError.from(error))
                    }
                }
            }
            var results = [APIError?](repeating: nil, count: writes.count)
            for await (index, error) in group { results[index] = error }
            return results
        }
    }

    /// The API error for a failed Jira call made while assigning (logged with status and call only:
    /// no issue text, no account ids).
    func refusal(_ error: JiraError) -> APIError {
        logger.warning("jira assignment failed", ["status": .int(error.status), "call": .string(error.call)])
        switch error.status {
        case 400: return .badRequest("Jira refused the assignment: \(error.message)")
        case 403: return .forbidden("Jira refused the assignment: \(error.message)")
        case 404: return .notFound("the issue is not in Jira (or not visible to SmartTicket's account)")
        case 409: return APIError(409, "FAILED_PRECONDITION", "Jira refused the assignment (conflict): \(error.message)")
        default: return APIError(502, "JIRA_ERROR", error.description)
        }
    }
}
