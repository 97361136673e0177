import Contracts
import Crypto
import Foundation
import HTTP
import JiraClient
import Observability
import RPC

/// `POST /webhooks/jira?tenant=T`: Jira's issue events, authenticated by an HMAC-SHA256 signature of
/// the raw body (`X-Hub-Signature: sha256=HEX`) with tenant T's own webhook secret (stored by
/// `smart-ticket jira connect`); one tenant's secret never opens another's deliveries.
///
/// - A tenant with no secret of its own (connected before per-tenant secrets) is checked against the
///   deprecated deployment-wide `jira.webhookSecret` when it is set; such a delivery is not trusted for
///   its content: only its issue key is used, and the issue is fetched from the tenant's own site.
/// - `issue.self` must be an absolute URL on exactly the tenant's site (scheme, host, port); without
///   it (or without `updated`, `created` or a description field, as Forge sends) the issue is fetched
///   from the tenant's site instead of being taken as sent.
/// - Replays cannot roll back: an event whose issue is not newer (`updated`) than the stored ticket
///   changes nothing (`unchanged` when it says what is stored, `stale` when it is older).
/// - `jira:issue_created` (or Forge's `avi:jira:created:issue`): the ticket is stored and gets a
///   recommendation through the assignment workflow the API uses; with auto-assign on and enough confidence the
///   assignment is written to Jira and recorded.
/// - `jira:issue_updated`: the ticket is stored; an assignee change made by a person (not by
///   SmartTicket) is recorded as an override (or a manual assignment when it agrees with the system) and
///   a newly resolved ticket is sent to the model.
struct JiraWebhook: Sendable {
    /// The assignment workflow (the API's routes call the same).
    let assignments: Assignments
    let engine: JiraSyncEngine
    /// The deprecated deployment-wide `jira.webhookSecret`: only for tenants without a secret of their own.
    let legacySecret: String
    let logger: Logger
    /// One delivery at a time per ticket.
    let turns = WebhookTurns()

    static let path = "/webhooks/jira"

    /// How a delivery was authenticated.
    enum Signer: Equatable {
        /// The tenant's own secret: the body is Jira's word for this tenant.
        case tenantSecret
        /// The deprecated shared secret: only the issue key is used.
        case legacySecret
    }

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        guard let tenant = Self.query(request, "tenant"), !tenant.isEmpty, tenant != JiraRegistry.systemTenant else {
            return APIError.badRequest("query parameter `tenant` is required: register the webhook as https://YOUR-HOST/webhooks/jira?tenant=T").response
        }
        do {
            let signer = try await authenticate(request, tenant: tenant)
            return try await process(request, tenant: tenant, signer: signer)
        } catch {
            let apiError = APIError.from(error)
            if apiError.status >= 500 {
                logger.error("jira webhook failed", ["status": .int(apiError.status), "error": .string(String(describing: type(of: error)))])
            }
            return apiError.response
        }
    }

    /// Verifies `X-Hub-Signature` with the tenant's own secret (or, for a tenant without one, the
    /// deprecated shared secret); throws a 401 saying what is wrong and what to do otherwise.
    func authenticate(_ request: HTTPRequest, tenant: String) async throws -> Signer {
        let own = try await JiraRegistry.webhookSecret(tenant: tenant, storage: assignments.storage)
        let secret = own ?? (legacySecret.isEmpty ? nil : legacySecret)
        guard let header = request.header("x-hub-signature") else {
            throw refused("missing signature", "X-Hub-Signature is missing: set tenant \(tenant)'s webhook secret in the Jira webhook's settings so Jira signs every delivery")
        }
        guard header.hasPrefix("sha256="), let given = Self.hexBytes(String(header.dropFirst(7))) else {
            throw refused("malformed signature", "X-Hub-Signature must be sha256= followed by 64 hex digits (the HMAC-SHA256 of the body)")
        }
        // A tenant without a secret (or an unknown one) is answered like a wrong signature, after the same
        // work, so the answer does not tell which tenants exist or are connected.
        guard Self.verify(body: request.body, signature: given, secret: secret ?? Digest.hex(Digest.randomBytes(32))), secret != nil else {
            throw refused("bad signature", "X-Hub-Signature does not match the body signed with tenant \(tenant)'s webhook secret: "
                          + "set the secret stored by `smart-ticket jira connect --tenant \(tenant)` in the Jira webhook's settings "
                          + "(a tenant that has none yet gets one printed by running that command)")
        }
        if own == nil {
            logger.warning("jira webhook verified with the deprecated jira.webhookSecret; its content is not trusted",
                           ["tenant": .string(tenant)])
            return .legacySecret
        }
        return .tenantSecret
    }

    /// Whether `signature` is the HMAC-SHA256 of `body` with `secret`, compared in constant time.
    static func verify(body: [UInt8], signature: [UInt8], secret: String) -> Bool {
        Digest.constantTimeEqual(Digest.hmacSHA256(key: Array(secret.utf8), message: body), signature)
    }

    /// A 401 with `message`; the log names the reason only (the tenant in the URL is anyone's to choose).
    private func refused(_ reason: String, _ message: String) -> APIError {
        logger.notice("jira webhook refused", ["reason": .string(reason)])
        return APIError(401, "UNAUTHENTICATED", message)
    }

    private func process(_ request: HTTPRequest, tenant: String, signer: Signer) async throws -> HTTPResponse {
        guard let json = JSONValue.parse(Data(request.body)), json.object != nil else { throw APIError.badRequest("malformed JSON body") }
        let event = json["webhookEvent"].string ?? json["eventType"].string ?? ""
        let created: Bool
        switch event {
        case "jira:issue_created", "avi:jira:created:issue": created = true
        case "jira:issue_updated", "avi:jira:updated:issue": created = false
        default: return Self.answer(["event": event, "action": "ignored"], status: 202)
        }
        guard let connection = try await JiraRegistry.connection(tenant: tenant, storage: assignments.storage) else {
            throw APIError.notFound("tenant \(tenant) has no Jira connection: run `smart-ticket jira connect --tenant \(tenant) ...` first")
        }
        guard let issue = JiraIssue(json: json["issue"], storyPointsField: connection.storyPointsField) else {
            throw APIError.badRequest("issue: missing, or without key and project")
        }
        // The issue is taken as sent only when the tenant's own secret signed it, it names its place on
        // exactly the tenant's site, and it carries every field a ticket needs.
        var fetch = signer != .tenantSecret || !issue.hasDescriptionField || issue.created == nil || issue.updated == nil
        switch json["issue"].object?["self"] {
        case nil, .null?:
            fetch = true
        case let link?:
            guard let link = link.string, connection.isOnSite(link) else {
                throw APIError.forbidden("issue.self is not on tenant \(tenant)'s Jira site \(connection.site): "
                                         + "its scheme, host and port must be the connection's; reconnect with the right --site if the site moved")
            }
        }
        guard connection.projects.contains(issue.project) else {
            return Self.answer(["event": event, "ticket": issue.key, "action": "ignored"], status: 202)
        }
        // The webhook acts for the tenant as `jira-webhook`, as the assignment workflow's callers do: by RPC metadata.
        let caller = Metadata(tenant: tenant, principal: "jira-webhook", traceID: Digest.randomIdentifier())
        let key = issue.key
        return try await turns.serialized("\(tenant)\u{1F}\(key)") { [issue, fetch] in
            try await apply(issue, fetch: fetch, created: created, event: event, json: json, signer: signer, connection: connection,
                            caller: caller)
        }
    }

    /// Stores the event's issue (fetched from the tenant's site when `fetch`) unless what is stored is as
    /// new, then recommends for a new unassigned ticket or records a reassignment made in Jira.
    private func apply(_ sent: JiraIssue, fetch: Bool, created: Bool, event: String, json: JSONValue, signer: Signer,
                       connection: JiraConnection, caller: Metadata) async throws -> HTTPResponse {
        var issue = sent
        let tenant = caller.tenant ?? ""
        if fetch {
            let key = issue.key
            do {
                issue = try await engine.client(connection).issue(key, fields: JiraClient.issueFields(storyPointsField: connection.storyPointsField),
                                                                   storyPointsField: connection.storyPointsField)
            } catch let error as JiraError where error.status == 404 {
                throw APIError.notFound("issue \(key) is not on tenant \(tenant)'s Jira site (or not visible to SmartTicket's account)")
            } catch let error as JiraError {
                throw APIError(502, "JIRA_ERROR", error.description)
            }
            guard connection.projects.contains(issue.project) else {
                return Self.answer(["event": event, "ticket": issue.key, "action": "ignored"], status: 202)
            }
        }
        let previous: Ticket?
        do {
            previous = try await assignments.storage.call(StorageContract.getTicket, .init(issue.key), metadata: caller)
        } catch let error as RPCError where error.code == .notFound {
            previous = nil
        }
        let ticket = issue.ticket
        if let previous, !Self.isNewer(ticket, than: previous) {
            // A repeated or an out-of-order delivery: what is stored is as new or newer; nothing changes.
            return Self.answer(["event": event, "ticket": ticket.key, "action": Self.sameContent(ticket, previous) ? "unchanged" : "stale"],
                               status: 200)
        }
        if let assignee = issue.assignee {
            _ = try await assignments.storage.call(StorageContract.putPeople, .init(people: [Person(id: assignee.accountId, displayName: assignee.displayName,
                                                                                          active: assignee.active)], onlyIfMissing: true),
                                           metadata: caller)
        }
        try await assignments.storeTicket(ticket, caller)
        if created || previous == nil, ticket.assignee == nil, ticket.status != .done {
            let body = try await assignments.recommend(ticket, caller)
            return Self.answer(["event": event, "ticket": ticket.key, "action": body.assigned == nil ? "recommended" : "assigned",
                                "assigned": body.assigned ?? ""], status: 200)
        }
        var action = "updated"
        // A delivery signed with the shared secret is trusted for nothing but its issue key: not its changelog or actor.
        let evidence = signer == .tenantSecret ? json : JSONValue.null
        if let mode = try await recordAssigneeChange(evidence, ticket: ticket, previous: previous, connection: connection, caller: caller) {
            action = mode.rawValue
        }
        return Self.answer(["event": event, "ticket": ticket.key, "action": action], status: 200)
    }

    /// Whether `ticket` (from an event) is newer than the stored one: its `updated` is later by more than
    /// Jira's precision (a millisecond; stored dates round-trip through a double).
    static func isNewer(_ ticket: Ticket, than stored: Ticket) -> Bool {
        ticket.updated.timeIntervalSince1970 > stored.updated.timeIntervalSince1970 + 0.0005
    }

    /// Whether an event says what is stored (every field Jira owns).
    static func sameContent(_ ticket: Ticket, _ stored: Ticket) -> Bool {
        ticket.title == stored.title && ticket.description == stored.description && ticket.components == stored.components
            && ticket.labels == stored.labels && ticket.priority == stored.priority && ticket.storyPoints == stored.storyPoints
            && ticket.status == stored.status && ticket.assignee == stored.assignee
    }

    /// Records an assignee change made in Jira by someone other than SmartTicket's account: an override
    /// when it departs from what the system chose or from the previous assignee, manual otherwise.
    private func recordAssigneeChange(_ json: JSONValue, ticket: Ticket, previous: Ticket?, connection: JiraConnection,
                                      caller: Metadata) async throws -> Decision.Mode? {
        let item = (json["changelog"]["items"].array ?? []).first { ($0["fieldId"].string ?? $0["field"].string) == "assignee" }
        let from = item.map { $0["from"].string ?? $0["tmpFromAccountId"].string } ?? previous?.assignee
        let to = ticket.assignee
        guard item != nil || previous?.assignee != to, let to, from != to else { return nil }
        let actor = json["user"]["accountId"].string
        if let actor, actor == connection.accountId { return nil }   // SmartTicket's own write coming back
        // The newest 1000 (a retried delivery is recent); newest first.
        let decisions = try await assignments.storage.call(StorageContract.listDecisions, .init(ticket: ticket.key, limit: 1000, newestFirst: true),
                                                   metadata: caller).items
        let last = decisions.first
        if last?.chosen == to && last?.mode == .auto { return nil }   // the system's assignment echoed
        let changelogID = json["changelog"]["id"].string
        if JiraSyncEngine.alreadyRecorded(decisions, changelogID: changelogID, from: from, to: to, at: Date()) { return nil }   // a retried delivery
        let disagrees = (last?.chosen).map { $0 != to } ?? (from != nil)
        let mode: Decision.Mode = disagrees ? .override : .manual
        _ = try await assignments.storage.call(StorageContract.appendDecision, Decision(
            ticket: ticket.key, project: ticket.project, mode: mode, chosen: to, previous: from, candidates: last?.candidates ?? [],
            actor: "jira:\(actor ?? "unknown")", reason: "reassigned in Jira" + (changelogID.map { " (changelog \($0))" } ?? "")),
            metadata: caller)
        if mode == .override, let overridden = last?.chosen ?? from {
            await assignments.learning.learnOverride(ticket: ticket, from: overridden, to: to, at: Date(), metadata: caller)
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
