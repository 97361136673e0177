import Contracts
import Foundation
import Model

/// A rank request's skills: as the skills service detected them (``ScoringContract/RankRequest/skillsJSON``), and those
/// declared on the ticket (its `requiredSkills`, at weight 1, source `declared`). Decoded at most once and only when
/// something reads them: the model, for a ticket without components and labels (the components the skills service's
/// learned vocabulary predicted, and the other skills), and declared skills, when someone in the pool declared any.
struct DetectedSkills {
    private let json: [UInt8]?
    private let required: [RequiredSkill]
    private let ticketHasComponentsOrLabels: Bool
    private var decoded: [DetectedSkill]??

    /// `detected`: the skills already decoded (they then take the place of the request's JSON).
    init(_ request: ScoringContract.RankRequest, detected: [DetectedSkill]? = nil) {
        json = detected == nil ? request.skillsJSON : nil
        let required = request.ticket.requiredSkills ?? []
        self.required = required
        decoded = detected.map { .some(Self.adding(required, to: $0)) }
        ticketHasComponentsOrLabels = request.ticket.components.contains { !$0.isEmpty } || request.ticket.labels.contains { !$0.isEmpty }
    }

    /// Every skill of the ticket; nil when none were sent (or they do not decode) and none are declared on the ticket.
    var all: [DetectedSkill]? {
        mutating get {
            if let decoded { return decoded }
            let detected = json.flatMap { try? JSONDecoder().decode([DetectedSkill].self, from: Data($0)) }
            let skills = detected == nil && required.isEmpty ? nil : Self.adding(required, to: detected ?? [])
            decoded = .some(skills)
            return skills
        }
    }

    /// What the model reads (``HistoryModel/TicketText/detected``): the skills of a ticket without components and labels;
    /// none otherwise (the model would not read them).
    var predictionsNeeded: [DetectedSkill] {
        mutating get { ticketHasComponentsOrLabels ? [] : all ?? [] }
    }

    /// `detected` with each of `required` a skill of weight 1 (declared on the ticket: it surely needs it).
    static func adding(_ required: [RequiredSkill], to detected: [DetectedSkill]) -> [DetectedSkill] {
        guard !required.isEmpty else { return detected }
        var skills = detected
        for need in required where !need.skill.isEmpty {
            let name = need.skill.lowercased()
            skills.removeAll { $0.name.lowercased() == name }
            skills.insert(DetectedSkill(name: name, weight: 1, source: .declared), at: 0)
        }
        return skills
    }
}
