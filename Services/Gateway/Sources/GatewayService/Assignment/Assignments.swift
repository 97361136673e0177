import Contracts
import Crypto
import Foundation
import JiraClient
import JSONKit
import Observability
import RPC
import Workflows

/// The assignment workflow, apart from HTTP: read a ticket with what a recommendation needs, detect its skills and rank
/// (``preview(_:_:)``), decide (assign when the project assigns automatically and the ranking is confident), write the
/// assignment back to Jira, store it and record the decision (``recommend(_:_:)-(StorageContract.TicketContext,_)``,
/// ``assign(_:to:reason:_:)``). The API's routes, the Jira webhook and the Jira sync's arrivals call it alike, each as a
/// caller named by the RPC metadata it acts with (tenant, principal, trace id): nothing here knows an HTTP request.
final class Assignments: Sendable {
    let storage: StorageClient
    let skills: SkillsClient
    let scoring: ScoringClient
    /// Jira sync and write-back (nil: tenants' Jira connections are ignored).
    let jira: JiraSyncEngine?
    /// The skills service's vocabulary per tenant, to reuse stored ticket skills.
    let skillVocabularies = SkillVocabularies()
    let logger: Logger

    /// What the workflow counts (recommendations, assignments, detections by source).
    let metrics: GatewayMetrics

    init(storage: StorageClient, skills: SkillsClient, scoring: ScoringClient, jira: JiraSyncEngine?, logger: Logger,
         metrics: GatewayMetrics = GatewayMetrics()) {
        self.metrics = metrics
        self.storage = storage
        self.skills = skills
        self.scoring = scoring
        self.jira = jira
        self.logger = logger
    }

    /// Scoring and skills, every instance of each: what they learn from the tenant's history.
    var learning: TenantLearning { TenantLearning(scoring: scoring, skills: skills) }

    /// Recommends people for `ticket` and, with auto-assign on and a clear winner, assigns it (in Jira
    /// too when the tenant is connected); the decision is recorded either way. Used by the Jira webhook.
    func recommend(_ ticket: Ticket, _ caller: Metadata) async throws -> RecommendationBody {
        var prepared = try await ticketContext(ticket.key, caller)
        prepared.ticket = ticket
        return try await recommend(prepared, caller)
    }

    /// Recommends people for the ticket of `stored` (read with ``API/visibleTicketContext(_:_:minimum:)``)
    /// and, with auto-assign on and a clear winner, assigns it (in Jira too when the tenant is
    /// connected); the decision is recorded either way.
    func recommend(_ stored: StorageContract.TicketContext, _ caller: Metadata) async throws -> RecommendationBody {
        let ticket = stored.ticket
        let settings = stored.project?.settings ?? ProjectSettings()
        let preview = try await preview(stored, caller)
        let ranked = preview.ranked
        let ranking = ranked.ranking
        var decided = ticket
        var mode = Decision.Mode.suggested
        // Only a project that assigns automatically assigns: scoring says so too, and this is checked again here.
        if settings.autoAssign, ranking.action == .assign || ranking.action == .fallback, let assignee = ranking.assignee, ticket.assignee == nil {
            let explanation = settings.explainInJira == true
                ? JiraExplanation(automatic: true, assignee: assignee, written: ranked.candidates) : nil
            try await jiraWriteBack(ticket, assignee: assignee, explanation: explanation, caller)
            decided.assignee = assignee
            decided.updated = Date()
            try await storeTicket(decided, caller)
            mode = .auto
        }
        // The candidates go to storage as the JSON scoring wrote for the decision log, and the answer
        // reuses its parts: they are never decoded and written again here.
        try await record(ranked, ticket, mode: mode, chosen: mode == .auto ? decided.assignee : ranked.candidates.people.first, caller)
        metrics.recommended()
        if mode == .auto { metrics.assigned(.auto) }
        var body = preview
        body.assigned = mode == .auto ? decided.assignee : nil
        return body
    }

    /// Records a ranking of `ticket` (its assignee before the decision) as a decision: by the system
    /// when it assigned, by the caller otherwise.
    func record(_ ranked: RankedCandidates, _ ticket: Ticket, mode: Decision.Mode, chosen: String?, _ caller: Metadata) async throws {
        _ = try await storage.call(StorageContract.appendDecisionRecord, StorageContract.DecisionRecord(
            ticket: ticket.key, project: ticket.project, mode: mode, chosen: chosen, previous: ticket.assignee,
            candidatesJSON: ranked.candidates.bytes, actor: mode == .auto ? "system" : caller.principal ?? "",
            reason: ranked.ranking.note), metadata: caller)
    }

    /// Ranks people for the ticket of `stored` and detects its skills, without recording or assigning
    /// anything (the detected skills are cached with the ticket).
    func preview(_ stored: StorageContract.TicketContext, _ caller: Metadata) async throws -> RecommendationBody {
        let ticket = stored.ticket
        guard let project = stored.project else { throw APIError.notFound("project not found") }
        let detect = SkillsContract.DetectRequest(title: ticket.title, description: ticket.description, components: ticket.components,
                                                  labels: ticket.labels, dataVersion: stored.dataVersion)
        // The ticket's skills (the skills service's: taxonomy, learned vocabulary, or the configured model)
        // are matched against the skills people declared, so they are known before ranking. Stored ones are
        // reused when detection would give the same now; a failing skills service degrades the answer (no
        // skills, ranking by history alone) without failing it.
        let reusable = reusableSkills(stored.skills, detect, tenant: caller.tenant ?? "")
        let detected = reusable != nil ? nil : try? await skills.call(SkillsContract.detect, detect, metadata: caller, timeout: 5)
        if reusable == nil { metrics.detected(source: detected?.source, cached: detected?.cached ?? false) }
        let skillsJSON = try reusable ?? detected.map { detected in
            var writer = JSONWriter(capacity: 64 + 96 * detected.skills.count)
            try writer.skills(detected.skills)
            return writer.bytes
        }
        let ranked = try await rank(ticket, settings: project.settings, assignable: try Assignments.assignable(stored.setting),
                                    dataVersion: stored.dataVersion, skillsJSON: skillsJSON, caller: caller)
        if let detected {
            if let vocabulary = detected.vocabulary { skillVocabularies.saw(vocabulary, tenant: caller.tenant ?? "") }
            // Stored again only when they changed (text, vocabulary, custom skills or model): not a write per request.
            if !Assignments.sameSkills(stored.skills, detected) {
                _ = try? await storage.call(StorageContract.putTicketSkills, .init(ticket: ticket.key, skills: detected.skills,
                                                                                  contentHash: detected.resultKey), metadata: caller)
            }
        }
        var body = RecommendationBody(ticket: ticket.key, ranked: ranked, assigned: nil, skills: detected?.skills ?? [])
        body.skillsJSON = reusable
        body.autoAssign = project.settings.autoAssign
        body.confidenceThreshold = project.settings.confidenceThreshold
        return body
    }

    /// The JSON of `stored` skills if they are what detecting `request` would answer now: detected
    /// locally from the same text with the tenant's current vocabulary (``SkillVocabularies``).
    func reusableSkills(_ stored: StorageContract.StoredSkills?, _ request: SkillsContract.DetectRequest, tenant: String) -> [UInt8]? {
        guard let stored, let vocabulary = skillVocabularies.current(tenant: tenant) else { return nil }
        let key = SkillsContract.resultKey(contentHash: Digest.sha256Hex(request.hashedText), vocabulary: vocabulary)
        return stored.contentHash == key ? stored.json : nil
    }

    /// Whether `stored` holds exactly `detected` (same result key, same skills JSON as storage writes it).
    static func sameSkills(_ stored: StorageContract.StoredSkills?, _ detected: SkillsContract.DetectResponse) -> Bool {
        guard let stored, stored.contentHash == detected.resultKey else { return false }
        var writer = JSONWriter(capacity: stored.json.count + 16)
        guard (try? writer.skills(detected.skills)) != nil else { return false }
        return writer.bytes == stored.json
    }

    /// Ranks the tenant's active people (only `assignable` ones when given: Jira's, for a synced
    /// project) for `ticket` with their open work and recent effort. The scoring service reads those
    /// from its snapshot of the tenant at `dataVersion` or later (storage's, read after the request
    /// began), so nothing tenant-wide is listed or sent per request. The candidates come back as the
    /// decision log's JSON, with the candidates' display names in the ranking.
    func rank(_ ticket: Ticket, settings: ProjectSettings, assignable: Set<String>?, dataVersion: String?, skillsJSON: [UInt8]? = nil,
              caller: Metadata) async throws -> RankedCandidates {
        let ranking = try await scoring.call(ScoringContract.rank, .init(ticket: ticket, settings: settings, people: [], snapshot: true,
                                                                         restrictTo: assignable.map { $0.sorted() }, dataVersion: dataVersion,
                                                                         writeCandidates: true, skillsJSON: skillsJSON),
                                             metadata: caller)
        guard let written = ranking.written, let parts = try? written.parts() else {
            throw RPCError.internalError("malformed ranking from scoring")
        }
        return RankedCandidates(ranking: ranking, candidates: written, parts: parts)
    }

    /// Assigns the ticket of `stored` to `assignee` by hand (in Jira too when connected), and records the decision: an
    /// override when the system recommended someone else (then learned by every scoring instance), manual otherwise.
    func assign(_ stored: StorageContract.TicketContext, to assignee: String, reason: String?, _ caller: Metadata) async throws -> Decision {
        var ticket = stored.ticket
        do {
            _ = try await storage.call(StorageContract.getPerson, .init(assignee), metadata: caller)
        } catch let error as RPCError where error.code == .notFound || error.code == .invalidArgument {
            throw APIError.badRequest("assignee: unknown person")
        }
        // Assigning someone other than the system's choice is an override: that is how it learns it was wrong.
        let newest = StorageContract.ListDecisionsRequest(ticket: ticket.key, limit: 1, newestFirst: true)
        var last = try await storage.call(StorageContract.listDecisions, newest, metadata: caller).items.first
        if last == nil, let preview = try? await preview(stored, caller) {
            // Never ranked before (opening a ticket only previews): what the system would suggest now is
            // recorded first, so an assignment that departs from it is learned as an override.
            try await record(preview.ranked, ticket, mode: .suggested, chosen: preview.ranked.candidates.people.first, caller)
            last = try await storage.call(StorageContract.listDecisions, newest, metadata: caller).items.first
        }
        let recommended = last?.chosen
        let mode: Decision.Mode = recommended != nil && recommended != assignee ? .override : .manual
        let previous = ticket.assignee
        let explanation = stored.project?.settings.explainInJira == true
            ? JiraExplanation(automatic: false, assignee: assignee, candidates: last?.candidates ?? []) : nil
        try await jiraWriteBack(ticket, assignee: assignee, explanation: explanation, caller)
        ticket.assignee = assignee
        ticket.updated = Date()
        try await storeTicket(ticket, caller)
        let decision = try await storage.call(StorageContract.appendDecision, Decision(
            ticket: ticket.key, project: ticket.project, mode: mode, chosen: assignee, previous: previous,
            candidates: last?.candidates ?? [], actor: caller.principal ?? "", reason: reason), metadata: caller)
        metrics.assigned(mode)
        if mode == .override, let recommended {
            await learning.learnOverride(ticket: ticket, from: recommended, to: assignee, at: decision.at, metadata: caller)
        }
        return decision
    }

    /// Tickets a Jira sync saw arrive (created since its last run, open, unassigned): in a project that
    /// assigns automatically, each one nobody ranked yet (the webhook may have) gets its recommendation,
    /// recorded, and is assigned when the ranking is confident, as a ticket created through the API is.
    func arrived(_ tickets: [Ticket], tenant: String) async {
        let caller = Metadata(tenant: tenant, principal: "jira-sync", traceID: Digest.randomIdentifier())
        for ticket in tickets {
            do {
                let stored = try await ticketContext(ticket.key, caller)
                guard stored.project?.settings.autoAssign == true, stored.ticket.assignee == nil else { continue }
                let ranked = try await storage.call(StorageContract.listDecisions, .init(ticket: ticket.key, limit: 1), metadata: caller)
                guard ranked.items.isEmpty else { continue }
                _ = try await recommend(stored, caller)
            } catch {
                let status = APIError.from(error).status
                logger.warning("recommendation of an arriving ticket failed", ["status": .int(status), "error": .string(String(describing: type(of: error)))])
            }
        }
    }

    /// The ticket `key` with what a recommendation needs besides it, read in one storage call: its project, the
    /// project's Jira-assignable setting (when Jira is on), its stored skills and the tenant's data version; 404
    /// without such a ticket. No role is checked (see ``API/visibleTicketContext(_:_:minimum:)``).
    func ticketContext(_ key: String, _ caller: Metadata) async throws -> StorageContract.TicketContext {
        do {
            return try await storage.call(StorageContract.getTicketContext,
                                          .init(key: key, settingPrefix: jira == nil ? nil : JiraSyncEngine.assignablePrefix),
                                          metadata: caller)
        } catch let error as RPCError where error.code == .notFound || error.code == .invalidArgument {
            throw APIError.notFound("ticket not found")
        }
    }

    /// Stores one ticket; a rejected record becomes a 400 with the field named. A resolved ticket is learned at once
    /// by every scoring and skills instance (each learns a ticket once), whatever path stored it.
    func storeTicket(_ ticket: Ticket, _ caller: Metadata) async throws {
        let response = try await storage.call(StorageContract.putTickets, .init(tickets: [ticket], createMissingProjects: false),
                                              metadata: caller)
        if let reject = response.rejects.first { throw APIError.badRequest(reject.reason) }
        if ticket.resolved != nil { await learnResolved([ticket], caller) }
    }

    /// Teaches every scoring and skills instance resolved tickets already stored. Best effort: the tickets stand, and an
    /// instance that could not learn was told to forget the tenant (it reloads it from storage); only when that failed
    /// too does a warning say so.
    func learnResolved(_ tickets: [Ticket], _ metadata: Metadata) async {
        do {
            try await learning.learn(tickets, metadata: metadata)
        } catch {
            logger.warning("resolved tickets not learned", ["tickets": .int(tickets.count), "error": .string(String(describing: error))])
        }
    }
}
