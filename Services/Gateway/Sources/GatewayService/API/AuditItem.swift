import Contracts
import Foundation
import JiraClient

/// One entry of `GET /api/v1/audit`: a decision (`kind` = `decision`: who acted, on which ticket, how, for whom and
/// why) or an admin change (`kind` = the change's: who changed what, and the JSON before and after). Every entry has
/// `kind`, `id` (within its source), `at`, `actor` and `project` (null for tenant-wide changes); a decision also has
/// `ticket`, `mode`, `chosen`, `previous` (people, `{"id", "name"}`) and `reason`, a change `target`, `before` and `after`
/// (null when absent).
struct AuditItem: Encodable {
    let kind: String
    let id: Int64
    let at: Date
    let actor: String
    let project: String?
    let decision: Decision?
    let change: StorageContract.AuditRecord?
    /// Display names of the decision's people (`chosen`, `previous`); a person not in it is named by their id.
    private(set) var names: [String: String] = [:]

    /// This item with its people named from `names`.
    func named(_ names: [String: String]) -> AuditItem {
        var named = self
        named.names = names
        return named
    }

    init(_ decision: Decision) {
        kind = "decision"
        id = decision.id
        at = decision.at
        actor = decision.actor
        project = decision.project
        self.decision = decision
        change = nil
    }

    init(_ change: StorageContract.AuditRecord) {
        kind = change.kind
        id = change.id
        at = change.at
        actor = change.actor
        project = change.project
        decision = nil
        self.change = change
    }

    private enum CodingKeys: String, CodingKey {
        case kind, id, at, actor, project, ticket, mode, chosen, previous, reason, target, before, after
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(id, forKey: .id)
        try container.encode(at, forKey: .at)
        try container.encode(actor, forKey: .actor)
        try container.encode(project, forKey: .project)
        if let decision {
            try container.encode(decision.ticket, forKey: .ticket)
            try container.encode(decision.mode, forKey: .mode)
            try container.encode(decision.chosen.map { PersonRef($0, names: names) }, forKey: .chosen)
            try container.encode(decision.previous.map { PersonRef($0, names: names) }, forKey: .previous)
            try container.encode(decision.reason, forKey: .reason)
        }
        if let change {
            try container.encode(change.target, forKey: .target)
            try container.encode(change.before.flatMap(JSONValue.parse), forKey: .before)
            try container.encode(change.after.flatMap(JSONValue.parse), forKey: .after)
        }
    }
}
