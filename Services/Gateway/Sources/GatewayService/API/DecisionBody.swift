import Contracts
import Foundation
import Model

/// A decision as the API answers it (the decision lists, the assignment): the stored ``Decision`` with every person
/// named, `{"id", "name"}`, as in a recommendation: who was chosen, who had the ticket before, and each candidate's
/// `person`.
struct DecisionBody: Encodable {
    struct Candidate: Encodable {
        let person: PersonRef
        let score: Double
        let factors: [String: RankedCandidate.Factor]
        let reasons: [String]
    }

    let id: Int64
    let ticket: String
    let project: String
    let mode: Decision.Mode
    let chosen: PersonRef?
    let previous: PersonRef?
    let candidates: [Candidate]
    let actor: String
    let at: Date
    let reason: String?

    init(_ decision: Decision, names: [String: String]) {
        id = decision.id
        ticket = decision.ticket
        project = decision.project
        mode = decision.mode
        chosen = decision.chosen.map { PersonRef($0, names: names) }
        previous = decision.previous.map { PersonRef($0, names: names) }
        candidates = decision.candidates.map {
            Candidate(person: PersonRef($0.person, names: names), score: $0.score, factors: $0.factors, reasons: $0.reasons)
        }
        actor = decision.actor
        at = decision.at
        reason = decision.reason
    }

    /// Everyone `decisions` name: chosen, previous and candidates.
    static func people(_ decisions: [Decision]) -> Set<String> {
        var ids = Set<String>()
        for decision in decisions {
            if let chosen = decision.chosen { ids.insert(chosen) }
            if let previous = decision.previous { ids.insert(previous) }
            for candidate in decision.candidates { ids.insert(candidate.person) }
        }
        return ids
    }
}

extension API {
    /// At most this many people are read one by one to name them; more, and the tenant's people are listed instead.
    static let peopleReadOneByOne = 64

    /// The display names of the people `ids`. Best effort: someone the tenant has no record of, or a read that failed,
    /// is left out, and answers name them by their id.
    func personNames(_ ids: Set<String>, _ context: RequestContext) async -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        guard ids.count <= API.peopleReadOneByOne else { return PersonRef.names((try? await allPeople(context)) ?? []) }
        return await withTaskGroup(of: Person?.self) { group in
            for id in ids {
                group.addTask { try? await self.storage.call(StorageContract.getPerson, .init(id), metadata: context.metadata) }
            }
            var names: [String: String] = [:]
            for await person in group { if let person { names[person.id] = person.displayName } }
            return names
        }
    }

    /// `decisions` as the API answers them, with their people named.
    func decisionBodies(_ decisions: [Decision], _ context: RequestContext) async -> [DecisionBody] {
        let names = await personNames(DecisionBody.people(decisions), context)
        return decisions.map { DecisionBody($0, names: names) }
    }
}
