import Contracts
import Foundation
import RPC

extension Store {
    /// Appends a decision to the audit log and returns it with its id.
    public func appendDecision(_ tenant: String, _ decision: Decision) async throws -> Decision {
        guard decision.candidates.count <= 500 else { throw RPCError.invalidArgument("candidates: more than 500") }
        var stored = decision
        stored.id = try await appendDecision(tenant, try StorageContract.DecisionRecord(decision), checkedCandidates: true)
        return stored
    }

    /// Appends a decision whose candidates come as their stored JSON (checked, then stored as is);
    /// returns its id.
    public func appendDecision(_ tenant: String, _ record: StorageContract.DecisionRecord) async throws -> Int64 {
        try await appendDecision(tenant, record, checkedCandidates: false)
    }

    private func appendDecision(_ tenant: String, _ decision: StorageContract.DecisionRecord, checkedCandidates: Bool) async throws -> Int64 {
        _ = try Validation.key(decision.ticket, field: "ticket")
        _ = try Validation.projectKey(decision.project)
        _ = try Validation.identifier(decision.actor, field: "actor")
        if let chosen = decision.chosen { _ = try Validation.identifier(chosen, field: "chosen") }
        if let previous = decision.previous { _ = try Validation.identifier(previous, field: "previous") }
        if let reason = decision.reason { try Validation.text(reason, field: "reason", maxBytes: 2000) }
        if !checkedCandidates {
            guard decision.candidatesJSON.count <= 4 << 20 else { throw RPCError.invalidArgument("candidatesJSON: larger than 4 MiB") }
            let count: Int
            do {
                count = try JSONSyntax.arrayOfObjects(decision.candidatesJSON)
            } catch {
                throw RPCError.invalidArgument("candidatesJSON: not a JSON array of objects (at byte \(error.offset))")
            }
            guard count <= 500 else { throw RPCError.invalidArgument("candidatesJSON: more than 500 candidates") }
        }
        let candidates = SQLValue.blob(decision.candidatesJSON)
        // A suggestion can be made again; what was assigned, and by whom, is synced before it is answered.
        return try await write(durable: decision.mode != .suggested) { db in
            try Store.requireTenant(db, tenant)
            var (chosen, previous, actor) = (decision.chosen, decision.previous, decision.actor)
            // A kept decision may come from Jira naming an erased person: stored under their pseudonym. (A suggestion
            // ranks the tenant's people, where nobody erased is, and stays off this check: every recommendation makes one.)
            if decision.mode != .suggested, let erased = try Store.erasedPeople(db, tenant) {
                if let id = chosen, let pseudonym = try erased(id) { chosen = pseudonym }
                if let id = previous, let pseudonym = try erased(id) { previous = pseudonym }
                let source = actor.hasPrefix("jira:") ? "jira:" : ""
                if let pseudonym = try erased(String(actor.dropFirst(source.count))) { actor = source + pseudonym }
            }
            return try db.insert("""
                INSERT INTO decisions(tenant, ticket, project, mode, chosen, previous, candidates, actor, at, reason)
                VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(tenant), .text(decision.ticket), .text(decision.project), .text(decision.mode.rawValue),
                      .optional(chosen), .optional(previous), candidates, .text(actor),
                      .date(decision.at), .optional(decision.reason)], returning: "id")
        }
    }

    /// Decisions for a ticket or a project (or all), oldest first, paged.
    public func listDecisions(_ tenant: String, _ request: StorageContract.ListDecisionsRequest) async throws -> StorageContract.DecisionPage {
        let newestFirst = request.newestFirst == true
        let limit = try Validation.limit(request.limit)
        let withCandidates = request.withoutCandidates != true
        var filter = SQLFilter("SELECT id, ticket, project, mode, chosen, previous, \(withCandidates ? "candidates" : "NULL"), actor, at, reason "
                               + "FROM decisions WHERE tenant = ?", tenant: tenant)
        let cursor = try Cursor.decode(request.cursor)   // 0: from the start, whichever the order
        if !newestFirst || cursor > 0 { filter.and(newestFirst ? "id < ?" : "id > ?", .integer(cursor)) }
        if let ticket = request.ticket { filter.and("ticket = ?", .text(ticket)) }
        if let project = request.project { filter.and("project = ?", .text(project)) }
        if let afterID = request.afterID { filter.and("id > ?", .integer(afterID)) }
        if let beforeID = request.beforeID { filter.and("id < ?", .integer(beforeID)) }
        if let person = request.person {
            _ = try Validation.identifier(person, field: "person")
            filter.and("(chosen = ? OR previous = ?)", .text(person), .text(person))
        }
        if let since = request.since {
            try Validation.date(since, field: "since")
            filter.and("at >= ?", .date(since))
        }
        let modes = request.modes ?? []
        filter.and("mode", in: modes.map { .text($0.rawValue) })
        // Said outright, so that the indexes of the kept decisions (which leave suggestions out) serve the query.
        if !modes.isEmpty && !modes.contains(.suggested) { filter.and("mode <> 'suggested'") }
        filter.page(newestFirst ? "id DESC" : "id", limit: limit)
        return try await readPage(filter, limit: limit, { statement in
            Decision(
                id: statement.int(0), ticket: statement.text(1) ?? "", project: statement.text(2) ?? "",
                mode: Decision.Mode(rawValue: statement.text(3) ?? "") ?? .suggested, chosen: statement.text(4),
                previous: statement.text(5), candidates: withCandidates ? try Store.fromJSON([RankedCandidate].self, statement.blob(6)) : [],
                actor: statement.text(7) ?? "", at: statement.date(8) ?? Date(), reason: statement.text(9))
        }, position: { _, decision in decision.id })
    }
}
