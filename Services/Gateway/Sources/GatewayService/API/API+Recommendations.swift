import Contracts
import Crypto
import Foundation
import HTTP
import JSONKit
import RPC

extension API {
    static func registerRecommendationRoutes(_ routes: inout RouteTable<Endpoint>) {
        routes.add("GET", "/api/v1/tickets/{key}/recommendations", .inHandler(reason: "viewer of the stored ticket's project")) { api, context in
            // A preview: looking records no decision and assigns nobody.
            let ticket = try await api.visibleTicketContext(context.param("key"), context, minimum: .viewer)
            var body = try await api.preview(ticket, context)
            body.preview = true
            return HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: try body.json())
        }
        routes.add("POST", "/api/v1/tickets/{key}/recommendations", .inHandler(reason: "member of the stored ticket's project")) { api, context in
            let ticket = try await api.visibleTicketContext(context.param("key"), context, minimum: .member)
            let body = try await api.recommend(ticket, context)
            return HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: try body.json())
        }
        routes.add("POST", "/api/v1/tickets/{key}/assignment", .inHandler(reason: "member of the stored ticket's project")) { api, context in
            let stored = try await api.visibleTicketContext(context.param("key"), context, minimum: .member)
            var ticket = stored.ticket
            struct Body: Decodable {
                let assignee: String
                let reason: String?
            }
            let body = try JSONCoding.decode(Body.self, from: context.request.body)
            if let reason = body.reason, reason.utf8.count > 2000 { throw APIError.badRequest("reason: longer than 2000 bytes") }
            do {
                _ = try await api.storage.call(StorageContract.getPerson, .init(body.assignee), metadata: context.metadata)
            } catch let error as RPCError where error.code == .notFound || error.code == .invalidArgument {
                throw APIError.badRequest("assignee: unknown person")
            }
            // Assigning someone other than the system's choice is an override: that is how it learns it was wrong.
            let newest = StorageContract.ListDecisionsRequest(ticket: ticket.key, limit: 1, newestFirst: true)
            var last = try await api.storage.call(StorageContract.listDecisions, newest, metadata: context.metadata).items.first
            if last == nil, let preview = try? await api.preview(stored, context) {
                // Never ranked before (opening a ticket only previews): what the system would suggest now is
                // recorded first, so an assignment that departs from it is learned as an override.
                try await api.record(preview.ranked, ticket, mode: .suggested, chosen: preview.ranked.candidates.people.first, context)
                last = try await api.storage.call(StorageContract.listDecisions, newest, metadata: context.metadata).items.first
            }
            let recommended = last?.chosen
            let mode: Decision.Mode = recommended != nil && recommended != body.assignee ? .override : .manual
            let previous = ticket.assignee
            try await api.jiraWriteBack(ticket, assignee: body.assignee, context)
            ticket.assignee = body.assignee
            ticket.updated = Date()
            try await api.storeTicket(ticket, context)
            let decision = try await api.storage.call(StorageContract.appendDecision, Decision(
                ticket: ticket.key, project: ticket.project, mode: mode, chosen: body.assignee, previous: previous,
                candidates: last?.candidates ?? [], actor: context.principal.subject, reason: body.reason), metadata: context.metadata)
            if mode == .override, let recommended {
                await api.learning.learnOverride(ticket: ticket, from: recommended, to: body.assignee, at: decision.at, metadata: context.metadata)
            }
            return try json(decision)
        }
    }

    /// Recommends people for `ticket` and, with auto-assign on and a clear winner, assigns it (in Jira
    /// too when the tenant is connected); the decision is recorded either way. Used by the Jira webhook.
    func recommend(_ ticket: Ticket, _ context: RequestContext) async throws -> RecommendationBody {
        var prepared = try await ticketContext(ticket.key, context)
        prepared.ticket = ticket
        return try await recommend(prepared, context)
    }

    /// Recommends people for the ticket of `stored` (read with ``visibleTicketContext(_:_:minimum:)``)
    /// and, with auto-assign on and a clear winner, assigns it (in Jira too when the tenant is
    /// connected); the decision is recorded either way.
    func recommend(_ stored: StorageContract.TicketContext, _ context: RequestContext) async throws -> RecommendationBody {
        let ticket = stored.ticket
        let settings = stored.project?.settings ?? ProjectSettings()
        let preview = try await preview(stored, context)
        let ranked = preview.ranked
        let ranking = ranked.ranking
        var decided = ticket
        var mode = Decision.Mode.suggested
        // Only a project that assigns automatically assigns: scoring says so too, and this is checked again here.
        if settings.autoAssign, ranking.action == .assign || ranking.action == .fallback, let assignee = ranking.assignee, ticket.assignee == nil {
            try await jiraWriteBack(ticket, assignee: assignee, context)
            decided.assignee = assignee
            decided.updated = Date()
            try await storeTicket(decided, context)
            mode = .auto
        }
        // The candidates go to storage as the JSON scoring wrote for the decision log, and the answer
        // reuses its parts: they are never decoded and written again here.
        try await record(ranked, ticket, mode: mode, chosen: mode == .auto ? decided.assignee : ranked.candidates.people.first, context)
        var body = preview
        body.assigned = mode == .auto ? decided.assignee : nil
        return body
    }

    /// Records a ranking of `ticket` (its assignee before the decision) as a decision: by the system
    /// when it assigned, by the caller otherwise.
    func record(_ ranked: RankedCandidates, _ ticket: Ticket, mode: Decision.Mode, chosen: String?, _ context: RequestContext) async throws {
        _ = try await storage.call(StorageContract.appendDecisionRecord, StorageContract.DecisionRecord(
            ticket: ticket.key, project: ticket.project, mode: mode, chosen: chosen, previous: ticket.assignee,
            candidatesJSON: ranked.candidates.bytes, actor: mode == .auto ? "system" : context.principal.subject,
            reason: ranked.ranking.note), metadata: context.metadata)
    }

    /// Ranks people for the ticket of `stored` and detects its skills, without recording or assigning
    /// anything (the detected skills are cached with the ticket).
    func preview(_ stored: StorageContract.TicketContext, _ context: RequestContext) async throws -> RecommendationBody {
        let ticket = stored.ticket
        guard let project = stored.project else { throw APIError.notFound("project not found") }
        let detect = SkillsContract.DetectRequest(title: ticket.title, description: ticket.description, components: ticket.components,
                                                  labels: ticket.labels, dataVersion: stored.dataVersion)
        // The ticket's skills (the skills service's: taxonomy, learned vocabulary, or the configured model)
        // are matched against the skills people declared, so they are known before ranking. Stored ones are
        // reused when detection would give the same now; a failing skills service degrades the answer (no
        // skills, ranking by history alone) without failing it.
        let reusable = reusableSkills(stored.skills, detect, tenant: context.principal.tenant)
        let detected = reusable != nil ? nil : try? await skills.call(SkillsContract.detect, detect, metadata: context.metadata, timeout: 5)
        let skillsJSON = try reusable ?? detected.map { detected in
            var writer = JSONWriter(capacity: 64 + 96 * detected.skills.count)
            try writer.skills(detected.skills)
            return writer.bytes
        }
        let ranked = try await rank(ticket, settings: project.settings, assignable: try API.assignable(stored.setting),
                                    dataVersion: stored.dataVersion, skillsJSON: skillsJSON, context: context)
        if let detected {
            if let vocabulary = detected.vocabulary { skillVocabularies.saw(vocabulary, tenant: context.principal.tenant) }
            // Stored again only when they changed (text, vocabulary, custom skills or model): not a write per request.
            if !API.sameSkills(stored.skills, detected) {
                _ = try? await storage.call(StorageContract.putTicketSkills, .init(ticket: ticket.key, skills: detected.skills,
                                                                                  contentHash: detected.resultKey), metadata: context.metadata)
            }
        }
        var body = RecommendationBody(ticket: ticket.key, ranked: ranked, assigned: nil, skills: detected?.skills ?? [])
        body.skillsJSON = reusable
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
              context: RequestContext) async throws -> RankedCandidates {
        let ranking = try await scoring.call(ScoringContract.rank, .init(ticket: ticket, settings: settings, people: [], snapshot: true,
                                                                         restrictTo: assignable.map { $0.sorted() }, dataVersion: dataVersion,
                                                                         writeCandidates: true, skillsJSON: skillsJSON),
                                             metadata: context.metadata)
        guard let written = ranking.written, let parts = try? written.parts() else {
            throw RPCError.internalError("malformed ranking from scoring")
        }
        return RankedCandidates(ranking: ranking, candidates: written, parts: parts)
    }
}

/// A ranking from scoring with its candidates as the decision log's JSON, checked (``CandidatesJSON/parts()``).
struct RankedCandidates {
    /// Confidence, action, note and the candidates' names (`candidates` empty).
    let ranking: Ranking
    let candidates: CandidatesJSON
    let parts: [CandidatesJSON.Parts]
}

/// `{"ticket", "confidence", "action", "note", "assigned", "candidates": [{"person": {"id", "name"}, "score", "factors", "reasons"}]}`,
/// with keys sorted and a nil `assigned` left out, as `JSONCoding.encode` would write it.
struct RecommendationBody {
    let ticket: String
    let ranked: RankedCandidates
    var assigned: String?
    let skills: [DetectedSkill]
    /// A preview (`GET`): nothing was recorded or assigned.
    var preview = false
    /// The skills as stored JSON (reused from the ticket's record); when set, ``json()`` writes these
    /// instead of `skills`.
    var skillsJSON: [UInt8]?

    init(ticket: String, ranked: RankedCandidates, assigned: String?, skills: [DetectedSkill]) {
        self.ticket = ticket
        self.ranked = ranked
        self.assigned = assigned
        self.skills = skills
    }

    /// The answer, written directly: this is the hottest answer of the API. Each candidate is its
    /// decision-log JSON with the person's id replaced by `{"id", "name"}` (`JSONWriter.candidates(_:parts:person:)`).
    func json() throws -> [UInt8] {
        let ranking = ranked.ranking
        let candidates = ranked.candidates
        var writer = JSONWriter(capacity: 1024 + candidates.bytes.count + 64 * candidates.people.count)
        writer.raw("{\"action\":")
        writer.string(ranking.action.rawValue)
        if let assigned {
            writer.raw(",\"assigned\":")
            writer.string(assigned)
        }
        writer.raw(",\"candidates\":")
        writer.candidates(candidates, parts: ranked.parts) { writer, _, person in
            writer.raw("{\"id\":")
            writer.string(person)
            writer.raw(",\"name\":")
            writer.string(ranking.names?[person] ?? person)
            writer.raw("}")
        }
        writer.raw(",\"confidence\":")
        try writer.number(ranking.confidence)
        writer.raw(",\"note\":")
        writer.string(ranking.note)
        if preview { writer.raw(",\"preview\":true") }
        writer.raw(",\"skills\":")
        if let skillsJSON {
            writer.raw(skillsJSON[...])
        } else {
            try writer.skills(skills)
        }
        writer.raw(",\"ticket\":")
        writer.string(ticket)
        writer.raw("}")
        return writer.bytes
    }
}
