import Contracts
import Foundation
import Model

/// A rank request's skills as the skills service detected them (``ScoringContract/RankRequest/skillsJSON``), decoded
/// at most once and only when something reads them: the model, for a ticket without components and labels (the ones
/// the skills service's learned vocabulary predicted), and declared skills, when someone in the pool declared any.
struct DetectedSkills {
    private let json: [UInt8]?
    private let ticketHasComponentsOrLabels: Bool
    private var decoded: [DetectedSkill]??

    init(_ request: ScoringContract.RankRequest) {
        json = request.skillsJSON
        ticketHasComponentsOrLabels = request.ticket.components.contains { !$0.isEmpty } || request.ticket.labels.contains { !$0.isEmpty }
    }

    /// Every detected skill; nil when none were sent or they do not decode.
    var all: [DetectedSkill]? {
        mutating get {
            if let decoded { return decoded }
            let skills = json.flatMap { try? JSONDecoder().decode([DetectedSkill].self, from: Data($0)) }
            decoded = .some(skills)
            return skills
        }
    }

    /// What the model reads (``HistoryModel/TicketText/detected``): the detected skills of a ticket without components
    /// and labels; none otherwise (the model would not read them).
    var predictionsNeeded: [DetectedSkill] {
        mutating get { ticketHasComponentsOrLabels ? [] : all ?? [] }
    }
}
