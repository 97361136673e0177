import Contracts
import JSONKit
import Model

/// `{"ticket", "confidence", "confidenceThreshold", "autoAssign", "action", "note", "assigned": {"id", "name"},
/// "candidates": [{"person": {"id", "name"}, "score", "factors", "reasons"}]}`, with keys sorted and a nil `assigned` left
/// out, as `JSONCoding.encode` would write it.
struct RecommendationBody {
    let ticket: String
    let ranked: RankedCandidates
    var assigned: String?
    let skills: [DetectedSkill]
    /// A preview (`GET`): nothing was recorded or assigned.
    var preview = false
    /// The project's settings the confidence is judged by: whether it assigns automatically, and the lead of the first
    /// person over the next (`confidence`) it needs to.
    var autoAssign = false
    var confidenceThreshold = ProjectSettings().confidenceThreshold
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
            writer.raw(",\"assigned\":{\"id\":")
            writer.string(assigned)
            writer.raw(",\"name\":")
            writer.string(ranking.names?[assigned] ?? assigned)
            writer.raw("}")
        }
        writer.raw(autoAssign ? ",\"autoAssign\":true" : ",\"autoAssign\":false")
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
        writer.raw(",\"confidenceThreshold\":")
        try writer.number(confidenceThreshold)
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
