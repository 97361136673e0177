import Contracts
import Crypto
import Foundation
import HTTP
import RPC

extension API {
    static func registerRecommendationRoutes(_ routes: inout RouteTable<Handler>) {
        routes.add("POST", "/api/v1/tickets/{key}/recommendations") { api, context in
            let ticket = try await api.visibleTicketContext(context.param("key"), context, minimum: .member)
            let body = try await api.recommend(ticket, context)
            return HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: try body.json())
        }
        routes.add("POST", "/api/v1/tickets/{key}/assignment") { api, context in
            var ticket = try await api.visibleTicket(context.param("key"), context, minimum: .member)
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
            let last = try await api.storage.call(StorageContract.listDecisions, .init(ticket: ticket.key, limit: 1, newestFirst: true),
                                                  metadata: context.metadata).items.first
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
                await api.scoring.learnOverride(ticket: ticket, from: recommended, to: body.assignee, at: decision.at, metadata: context.metadata)
            }
            return try json(decision)
        }
    }

    /// Recommends people for `ticket` and, with auto-assign on and a clear winner, assigns it (in Jira
    /// too when the tenant is connected); the decision is recorded either way. Used by the Jira webhook.
    func recommend(_ ticket: Ticket, _ context: RequestContext) async throws -> RecommendationBody {
        let stored: StorageContract.TicketContext
        do {
            stored = try await storage.call(StorageContract.getTicketContext,
                                            .init(key: ticket.key, settingPrefix: jira == nil ? nil : JiraSyncEngine.assignablePrefix),
                                            metadata: context.metadata)
        } catch let error as RPCError where error.code == .notFound {
            throw APIError.notFound("ticket not found")
        }
        var prepared = stored
        prepared.ticket = ticket
        return try await recommend(prepared, context)
    }

    /// Recommends people for the ticket of `stored` (read with ``visibleTicketContext(_:_:minimum:)``)
    /// and, with auto-assign on and a clear winner, assigns it (in Jira too when the tenant is
    /// connected); the decision is recorded either way.
    func recommend(_ stored: StorageContract.TicketContext, _ context: RequestContext) async throws -> RecommendationBody {
        let ticket = stored.ticket
        guard let project = stored.project else { throw APIError.notFound("project not found") }
        let detect = SkillsContract.DetectRequest(title: ticket.title, description: ticket.description, components: ticket.components,
                                                  labels: ticket.labels, dataVersion: stored.dataVersion)
        // Scoring reads the ticket's text itself; the skills are for the answer and the ticket's record.
        // Stored ones are reused when detection would give the same now; otherwise detection runs
        // alongside ranking, and a failing skills service degrades the answer (no skills) without failing it.
        let reusable = reusableSkills(stored.skills, detect, tenant: context.principal.tenant)
        // A child task only when detection runs (`async let` would start one even for nil).
        let detection: Task<SkillsContract.DetectResponse?, Never>? = reusable != nil ? nil : Task { [skills] in
            try? await skills.call(SkillsContract.detect, detect, metadata: context.metadata, timeout: 5)
        }
        let ranked: (Ranking, [String: String])
        do {
            ranked = try await rank(ticket, settings: project.settings, assignable: try API.assignable(stored.setting),
                                    dataVersion: stored.dataVersion, context: context)
        } catch {
            detection?.cancel()
            throw error
        }
        let (ranking, names) = ranked
        let detected = await detection?.value
        if let detected {
            if let vocabulary = detected.vocabulary { skillVocabularies.saw(vocabulary, tenant: context.principal.tenant) }
            // Stored again only when they changed (text, vocabulary, custom skills or model): not a write per request.
            if !API.sameSkills(stored.skills, detected) {
                _ = try? await storage.call(StorageContract.putTicketSkills, .init(ticket: ticket.key, skills: detected.skills,
                                                                                  contentHash: detected.resultKey), metadata: context.metadata)
            }
        }
        var decided = ticket
        var mode = Decision.Mode.suggested
        if ranking.action == .assign || ranking.action == .fallback, let assignee = ranking.assignee, ticket.assignee == nil {
            try await jiraWriteBack(ticket, assignee: assignee, context)
            decided.assignee = assignee
            decided.updated = Date()
            try await storeTicket(decided, context)
            mode = .auto
        }
        // The candidates go to storage as the JSON the decision log keeps (no field-by-field encoding and
        // decoding), and the answer reuses the parts of that JSON it shares.
        var candidates = JSONWriter(capacity: 256 + 512 * ranking.candidates.count)
        let spans = try candidates.candidates(ranking.candidates)
        _ = try await storage.call(StorageContract.appendDecisionRecord, StorageContract.DecisionRecord(
            ticket: ticket.key, project: ticket.project, mode: mode, chosen: mode == .auto ? decided.assignee : ranking.candidates.first?.person,
            previous: ticket.assignee, candidatesJSON: candidates.bytes, actor: mode == .auto ? "system" : context.principal.subject,
            reason: ranking.note), metadata: context.metadata)
        var body = RecommendationBody(ticket: ticket.key, ranking: ranking, names: names,
                                      assigned: mode == .auto ? decided.assignee : nil, skills: detected?.skills ?? [])
        body.written = (candidates.bytes, spans)
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
    /// began), so nothing tenant-wide is listed or sent per request. Returns the ranking and the
    /// candidates' display names.
    func rank(_ ticket: Ticket, settings: ProjectSettings, assignable: Set<String>?, dataVersion: String?,
              context: RequestContext) async throws -> (Ranking, [String: String]) {
        var ranking = try await scoring.call(ScoringContract.rank, .init(ticket: ticket, settings: settings, people: [], snapshot: true,
                                                                         restrictTo: assignable.map { $0.sorted() }, dataVersion: dataVersion,
                                                                         packed: true),
                                             metadata: context.metadata)
        do {
            try ranking.unpackCandidates()
        } catch {
            throw RPCError.internalError("malformed ranking from scoring")
        }
        let names = ranking.names ?? [:]
        ranking.names = nil
        return (ranking, names)
    }
}

/// `{"ticket", "confidence", "action", "note", "assigned", "candidates": [{"person": {"id", "name"}, "score", "factors", "reasons"}]}`.
struct RecommendationBody: Encodable {
    struct Candidate: Encodable {
        struct PersonRef: Encodable {
            let id: String
            let name: String
        }
        let person: PersonRef
        let score: Double
        let factors: [String: RankedCandidate.Factor]
        let reasons: [String]
    }

    let ticket: String
    let confidence: Double
    let action: String
    let note: String
    let assigned: String?
    let skills: [DetectedSkill]
    let candidates: [Candidate]
    /// The candidates as the decision log stores them and where each one's parts are in it: when set
    /// (and matching `candidates`), ``json()`` copies the factors, reasons and score from there
    /// instead of writing them again.
    var written: (json: [UInt8], spans: [JSONWriter.CandidateSpans])?
    /// The skills as stored JSON (reused from the ticket's record); when set, ``json()`` writes these
    /// instead of `skills`.
    var skillsJSON: [UInt8]?

    private enum CodingKeys: String, CodingKey {
        case ticket, confidence, action, note, assigned, skills, candidates
    }

    init(ticket: String, ranking: Ranking, names: [String: String], assigned: String?, skills: [DetectedSkill]) {
        self.skills = skills
        self.ticket = ticket
        confidence = ranking.confidence
        action = ranking.action.rawValue
        note = ranking.note
        self.assigned = assigned
        candidates = ranking.candidates.map { candidate in
            Candidate(person: .init(id: candidate.person, name: names[candidate.person] ?? candidate.person), score: candidate.score,
                      factors: candidate.factors, reasons: candidate.reasons)
        }
    }

    /// The same JSON `JSONCoding.encode(self)` writes (sorted keys, nil `assigned` left out), written
    /// directly: this is the hottest answer of the API.
    func json() throws -> [UInt8] {
        var writer = JSONWriter(capacity: 1024 + 768 * candidates.count)
        writer.raw("{\"action\":")
        writer.string(action)
        if let assigned {
            writer.raw(",\"assigned\":")
            writer.string(assigned)
        }
        writer.raw(",\"candidates\":[")
        // Each candidate is its decision-log JSON with the person's id replaced by {"id", "name"}.
        let parts = try written.flatMap { $0.spans.count == candidates.count ? $0 : nil } ?? decisionLogJSON()
        for (index, candidate) in candidates.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw("{\"factors\":")
            writer.raw(parts.json[parts.spans[index].factors])
            writer.raw(",\"person\":{\"id\":")
            writer.string(candidate.person.id)
            writer.raw(",\"name\":")
            writer.string(candidate.person.name)
            writer.raw("}")
            writer.raw(parts.json[parts.spans[index].rest])
        }
        writer.raw("],\"confidence\":")
        try writer.number(confidence)
        writer.raw(",\"note\":")
        writer.string(note)
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

    /// The candidates as the decision log writes them, and where each one's parts are (when
    /// `written` was not given).
    private func decisionLogJSON() throws -> (json: [UInt8], spans: [JSONWriter.CandidateSpans]) {
        var writer = JSONWriter(capacity: 512 * candidates.count)
        let spans = try writer.candidates(candidates.map {
            RankedCandidate(person: $0.person.id, score: $0.score, factors: $0.factors, reasons: $0.reasons)
        })
        return (writer.bytes, spans)
    }
}
