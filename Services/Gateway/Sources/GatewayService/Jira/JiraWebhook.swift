import Contracts
import Crypto
import Foundation
import HTTP
import JiraClient
import Observability
import RPC

/// `POST /webhooks/jira?tenant=T`: Jira's issue events, authenticated by an HMAC-SHA256 signature of
/// the raw body (`X-Hub-Signature: sha256=HEX`) with `jira.webhookSecret`.
///
/// - `jira:issue_created` (or Forge's `avi:jira:created:issue`): the ticket is stored and gets a
///   recommendation through the API's own code path; with auto-assign on and enough confidence the
///   assignment is written to Jira and recorded.
/// - `jira:issue_updated`: the ticket is stored; an assignee change made by a person (not by
///   SmartTicket) is recorded as an override (or a manual assignment when it agrees with the system) and
///   a newly resolved ticket is sent to the model.
/// - Events without a description field (Forge) are completed by fetching the issue.
struct JiraWebhook: Sendable {
    let api: API
    let engine: JiraSyncEngine
    let secret: String
    let logger: Logger

    static let path = "/webhooks/jira"

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        guard !secret.isEmpty else {
            // Without a secret no signature can be verified: every delivery is unauthenticated (not a server failure).
            return .error(401, code: "UNAUTHENTICATED", message: "Jira webhooks are not configured (set jira.webhookSecret)")
        }
        guard verify(request) else {
            logger.notice("jira webhook refused", ["reason": .string("bad signature")])
            return APIError.unauthenticated.response
        }
        do {
            return try await process(request)
        } catch {
            let apiError = APIError.from(error)
            if apiError.status >= 500 {
                logger.error("jira webhook failed", ["status": .int(apiError.status), "error": .string(String(describing: type(of: error)))])
            }
            return apiError.response
        }
    }

    /// Whether `X-Hub-Signature` is `sha256=` and the HMAC of the body, compared in constant time.
    func verify(_ request: HTTPRequest) -> Bool {
        guard let header = request.header("x-hub-signature"), header.hasPrefix("sha256="),
              let given = Self.hexBytes(String(header.dropFirst(7))) else { return false }
        let expected = Digest.hmacSHA256(key: Array(secret.utf8), message: request.body)
        return Digest.constantTimeEqual(expected, given)
    }

    private func process(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let tenant = Self.query(request, "tenant"), !tenant.isEmpty, tenant != JiraRegistry.systemTenant else {
            throw APIError.badRequest("query parameter `tenant` is required")
        }
        guard let json = JSONValue.parse(Data(request.body)), json.object != nil else { throw APIError.badRequest("malformed JSON body") }
        let event = json["webhookEvent"].string ?? json["eventType"].string ?? ""
        let created: Bool
        switch event {
        case "jira:issue_created", "avi:jira:created:issue": created = true
        case "jira:issue_updated", "avi:jira:updated:issue": created = false
        default: return Self.answer(["event": event, "action": "ignored"], status: 202)
        }
        guard let connection = try await JiraRegistry.connection(tenant: tenant, storage: api.storage) else {
            throw APIError.notFound("tenant has no Jira connection")
        }
        guard var issue = JiraIssue(json: json["issue"], storyPointsField: connection.storyPointsField) else {
            throw APIError.badRequest("issue: missing, or without key and project")
        }
        if let link = json["issue"]["self"].string, let host = URL(string: link)?.host,
           host.lowercased() != (try? connection.siteURL())?.host?.lowercased() {
            throw APIError.forbidden("the issue is not from the tenant's Jira site")
        }
        guard connection.projects.contains(issue.project) else {
            return Self.answer(["event": event, "ticket": issue.key, "action": "ignored"], status: 202)
        }
        let context = RequestContext(request: request, params: [:],
                                     principal: Principal(subject: "jira-webhook", tenant: tenant, tokenRoles: [:], scheme: "webhook"),
                                     traceID: Digest.randomIdentifier())
        if !issue.hasDescriptionField || issue.created == nil {
            // Forge events carry no description: fetch the issue.
            do {
                issue = try await engine.client(connection).issue(issue.key, fields: JiraClient.issueFields(storyPointsField: connection.storyPointsField),
                                                                   storyPointsField: connection.storyPointsField)
            } catch let error as JiraError {
                throw APIError(502, "JIRA_ERROR", error.description)
            }
        }
        let previous: Ticket?
        do {
            previous = try await api.storage.call(StorageContract.getTicket, .init(issue.key), metadata: context.metadata)
        } catch let error as RPCError where error.code == .notFound {
            previous = nil
        }
        if let assignee = issue.assignee {
            _ = try await api.storage.call(StorageContract.putPeople, .init(people: [Person(id: assignee.accountId, displayName: assignee.displayName,
                                                                                          active: assignee.active)], onlyIfMissing: true),
                                           metadata: context.metadata)
        }
        let ticket = issue.ticket
        try await api.storeTicket(ticket, context)
        if created || previous == nil, ticket.assignee == nil, ticket.status != .done {
            let body = try await api.recommend(ticket, context)
            return Self.answer(["event": event, "ticket": ticket.key, "action": body.assigned == nil ? "recommended" : "assigned",
                                "assigned": body.assigned ?? ""], status: 200)
        }
        var action = "updated"
        if let mode = try await recordAssigneeChange(json, ticket: ticket, previous: previous, connection: connection, context: context) {
            action = mode.rawValue
        }
        return Self.answer(["event": event, "ticket": ticket.key, "action": action], status: 200)
    }

    /// Records an assignee change made in Jira by someone other than SmartTicket's account: an override
    /// when it departs from what the system chose or from the previous assignee, manual otherwise.
    private func recordAssigneeChange(_ json: JSONValue, ticket: Ticket, previous: Ticket?, connection: JiraConnection,
                                      context: RequestContext) async throws -> Decision.Mode? {
        let item = (json["changelog"]["items"].array ?? []).first { ($0["fieldId"].string ?? $0["field"].string) == "assignee" }
        let from = item.map { $0["from"].string ?? $0["tmpFromAccountId"].string } ?? previous?.assignee
        let to = ticket.assignee
        guard item != nil || previous?.assignee != to, let to, from != to else { return nil }
        let actor = json["user"]["accountId"].string
        if let actor, actor == connection.accountId { return nil }   // SmartTicket's own write coming back
        // The newest 1000 (a retried delivery is recent); newest first.
        let decisions = try await api.storage.call(StorageContract.listDecisions, .init(ticket: ticket.key, limit: 1000, newestFirst: true),
                                                   metadata: context.metadata).items
        let last = decisions.first
        if last?.chosen == to && last?.mode == .auto { return nil }   // the system's assignment echoed
        let changelogID = json["changelog"]["id"].string
        if JiraSyncEngine.alreadyRecorded(decisions, changelogID: changelogID, from: from, to: to, at: Date()) { return nil }   // a retried delivery
        let disagrees = (last?.chosen).map { $0 != to } ?? (from != nil)
        let mode: Decision.Mode = disagrees ? .override : .manual
        _ = try await api.storage.call(StorageContract.appendDecision, Decision(
            ticket: ticket.key, project: ticket.project, mode: mode, chosen: to, previous: from, candidates: last?.candidates ?? [],
            actor: "jira:\(actor ?? "unknown")", reason: "reassigned in Jira" + (changelogID.map { " (changelog \($0))" } ?? "")),
            metadata: context.metadata)
        if mode == .override, let overridden = last?.chosen ?? from {
            await api.scoring.learnOverride(ticket: ticket, from: overridden, to: to, at: Date(), metadata: context.metadata)
        }
        return mode
    }

    private static func answer(_ fields: [String: String], status: Int) -> HTTPResponse {
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: Array(data))
    }

    private static func query(_ request: HTTPRequest, _ name: String) -> String? {
        for pair in (request.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.first == Substring(name) { return parts.count > 1 ? String(parts[1]).removingPercentEncoding : "" }
        }
        return nil
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        guard text.count == 64 else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
