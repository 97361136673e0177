import Contracts
import Crypto
import Foundation
import HTTP
import RPC
import Synchronization

/// Plans being applied or undone right now (tenant, plan id): a second request for the same plan waits its turn as a 409.
private let rebalanceInFlight = Mutex<Set<String>>([])

extension API {
    static func registerRebalanceRoutes(_ routes: inout RouteTable<Endpoint>) {
        routes.add("POST", "/api/v1/projects/{key}/rebalance", .project(.admin, parameter: "key")) { api, context in
            let key = context.param("key")
            let project = try await api.existingProject(key, context)
            let plan = try await api.proposeRebalance(project, context)
            try await api.saveRebalancePlan(plan, context)
            return try json(plan, status: 201)
        }
        routes.add("GET", "/api/v1/projects/{key}/rebalance/{id}", .project(.viewer, parameter: "key")) { api, context in
            return try json(try await api.loadRebalancePlan(context))
        }
        routes.add("POST", "/api/v1/projects/{key}/rebalance/{id}/apply", .project(.admin, parameter: "key")) { api, context in
            return try await api.exclusively(context) { try json(try await api.applyRebalance(try await api.loadRebalancePlan(context), context)) }
        }
        routes.add("POST", "/api/v1/projects/{key}/rebalance/{id}/undo", .project(.admin, parameter: "key")) { api, context in
            return try await api.exclusively(context) { try json(try await api.undoRebalance(try await api.loadRebalancePlan(context), context)) }
        }
    }

    /// A plan computed from the current state: the project's open tickets, everyone's open work; in a
    /// project synced with Jira only the people Jira lists as assignable there may receive work.
    func proposeRebalance(_ project: Project, _ context: RequestContext) async throws -> RebalancePlanBody {
        let people = try await allPeople(context)
        let open = try await allTickets(.init(status: [.todo, .inProgress]), context, cap: ScoringContract.RebalanceRequest.maxTickets)
        var openWork: [String: [OpenTicket]] = [:]
        for ticket in open {
            guard let assignee = ticket.assignee else { continue }
            openWork[assignee, default: []].append(OpenTicket(storyPoints: ticket.storyPoints, priority: ticket.priority, updated: ticket.updated))
        }
        var recentEffort: [String: Double] = [:]
        for item in try await allTickets(.init(updatedSince: Date().addingTimeInterval(-30 * 86_400)), context, cap: 20_000) {
            if let assignee = item.assignee { recentEffort[assignee, default: 0] += max(0.5, item.storyPoints ?? 1) }
        }
        let tickets = open.filter { $0.project == project.key }
        // Only people Jira lets be assigned in a synced project receive work, as in recommendations.
        let assignable = try await assignments.jiraAssignable(project.key, context.metadata)
        let answer = try await scoring.call(ScoringContract.rebalance, .init(
            project: project.key, settings: project.settings, people: people, tickets: tickets, openWork: openWork,
            recentEffort: recentEffort, restrictTo: assignable.map { $0.sorted() }), metadata: context.metadata, timeout: 60)
        let byKey = Dictionary(tickets.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let names = PersonRef.names(people)
        return RebalancePlanBody(
            id: Digest.hex(Digest.randomBytes(8)), project: project.key, status: .proposed, createdAt: Date(),
            createdBy: context.principal.subject,
            moves: answer.moves.map { move in
                RebalancePlanBody.Move(ticket: move.ticket, from: PersonRef(move.from, names: names), to: PersonRef(move.to, names: names),
                                       reasons: move.reasons, planned: byKey[move.ticket].map { $0.updated.timeIntervalSince1970 } ?? 0)
            },
            unresolved: answer.unresolved.map { .init(ticket: $0.ticket, from: PersonRef($0.from, names: names), reason: $0.reason) })
    }

    /// Reassigns every move's ticket, refusing (409, nothing written) when any of them changed since the
    /// plan was made. In a project synced with Jira each move is written to Jira first, as the manual
    /// assignment writes it (``JiraAssigner``: same permission check, retries and refusals); a move Jira
    /// refuses is reported in `refused` and not stored, and only the moves Jira accepted are stored and
    /// recorded as `rebalance` decisions. The plan is then `applied` (undo concerns the accepted moves).
    func applyRebalance(_ plan: RebalancePlanBody, _ context: RequestContext) async throws -> RebalancePlanBody {
        guard plan.status == .proposed else {
            throw APIError(409, "FAILED_PRECONDITION", "plan \(plan.id) was already \(plan.status.rawValue); make a new plan")
        }
        var tickets: [Ticket] = []
        var stale: [String] = []
        for move in plan.moves {
            guard let ticket = try? await storage.call(StorageContract.getTicket, .init(move.ticket), metadata: context.metadata),
                  ticket.assignee == move.from.id, ticket.status != .done,
                  abs(ticket.updated.timeIntervalSince1970 - move.planned) < 0.001 else {
                stale.append(move.ticket)
                continue
            }
            tickets.append(ticket)
        }
        guard stale.isEmpty else {
            throw APIError(409, "FAILED_PRECONDITION",
                           "the plan is stale: \(stale.prefix(20).joined(separator: ", ")) changed since it was made; make a new plan")
        }
        let assigner = plan.moves.isEmpty ? nil : try await assignments.jiraAssigner(project: plan.project, context.metadata)
        var accepted: [(move: RebalancePlanBody.Move, ticket: Ticket)] = []
        var refused: [RebalancePlanBody.Refusal] = []
        let refusals = await writeToJira(assigner, plan.moves.map { ($0.ticket, $0.to.id) })
        for ((move, ticket), refusal) in zip(zip(plan.moves, tickets), refusals) {
            if let refusal {
                refused.append(refusal)
            } else {
                accepted.append((move, ticket))
            }
        }
        // Stored after Jira took the moves: should this stop before (a crash), the next sync reads them from Jira.
        let now = Date()
        try await storeTickets(accepted.map { move, ticket in
            var moved = ticket
            moved.assignee = move.to.id
            moved.updated = now
            return moved
        }, context)
        for (move, _) in accepted {
            _ = try await storage.call(StorageContract.appendDecision, Decision(
                ticket: move.ticket, project: plan.project, mode: .rebalance, chosen: move.to.id, previous: move.from.id,
                actor: context.principal.subject, at: now, reason: "rebalance \(plan.id): " + move.reasons.joined(separator: "; ")),
                metadata: context.metadata)
        }
        var applied = plan
        applied.status = .applied
        applied.appliedAt = now
        applied.refused = refused
        try await saveRebalancePlan(applied, context)
        return applied
    }

    /// Gives back every ticket still assigned as the plan left it; tickets reassigned or closed since,
    /// and moves Jira refused when the plan was applied, are skipped. In a project synced with Jira each
    /// restoring move is written to Jira first, as in ``applyRebalance(_:_:)``: one Jira refuses is
    /// reported in `undo.refused` and the ticket stays where the plan put it.
    func undoRebalance(_ plan: RebalancePlanBody, _ context: RequestContext) async throws -> RebalancePlanBody {
        guard plan.status == .applied else {
            throw APIError(409, "FAILED_PRECONDITION", "only an applied plan can be undone; plan \(plan.id) is \(plan.status.rawValue)")
        }
        let notApplied = Set((plan.refused ?? []).map(\.ticket))
        var restoring: [(move: RebalancePlanBody.Move, ticket: Ticket)] = []
        var skipped: [RebalancePlanBody.Skipped] = []
        for move in plan.moves {
            guard !notApplied.contains(move.ticket) else {
                skipped.append(.init(ticket: move.ticket, reason: "not applied: Jira refused the move when the plan was applied"))
                continue
            }
            guard let ticket = try? await storage.call(StorageContract.getTicket, .init(move.ticket), metadata: context.metadata) else {
                skipped.append(.init(ticket: move.ticket, reason: "the ticket no longer exists"))
                continue
            }
            guard ticket.assignee == move.to.id, ticket.status != .done else {
                skipped.append(.init(ticket: move.ticket, reason: ticket.status == .done ? "resolved since the plan was applied"
                                                                                       : "reassigned since the plan was applied"))
                continue
            }
            restoring.append((move, ticket))
        }
        let assigner = restoring.isEmpty ? nil : try await assignments.jiraAssigner(project: plan.project, context.metadata)
        var tickets: [Ticket] = []
        var restored: [RebalancePlanBody.Move] = []
        var refused: [RebalancePlanBody.Refusal] = []
        let now = Date()
        let refusals = await writeToJira(assigner, restoring.map { ($0.move.ticket, $0.move.from.id) })
        for ((move, ticket), refusal) in zip(restoring, refusals) {
            if let refusal {
                refused.append(refusal)
                continue
            }
            var back = ticket
            back.assignee = move.from.id
            back.updated = now
            tickets.append(back)
            restored.append(move)
        }
        try await storeTickets(tickets, context)
        for move in restored {
            _ = try await storage.call(StorageContract.appendDecision, Decision(
                ticket: move.ticket, project: plan.project, mode: .rebalance, chosen: move.from.id, previous: move.to.id,
                actor: context.principal.subject, at: now, reason: "undo of rebalance \(plan.id)"), metadata: context.metadata)
        }
        var undone = plan
        undone.status = .undone
        undone.undoneAt = now
        undone.undo = .init(restored: restored.map(\.ticket), skipped: skipped, refused: refused)
        try await saveRebalancePlan(undone, context)
        return undone
    }

    /// Writes `moves` (ticket, new assignee) to Jira with `assigner` (nil: the project is not synced with
    /// Jira, nothing to write); for each move, in order, the refusal when Jira did not take it, nil when it did.
    private func writeToJira(_ assigner: JiraAssigner?, _ moves: [(ticket: String, assignee: String)]) async -> [RebalancePlanBody.Refusal?] {
        guard let assigner else { return Array(repeating: nil, count: moves.count) }
        let errors = await assigner.assignEach(moves.map { (key: $0.ticket, accountId: $0.assignee) })
        return zip(moves, errors).map { move, error in
            error.map { RebalancePlanBody.Refusal(ticket: move.ticket, status: $0.status, reason: $0.message) }
        }
    }

    /// The project in the caller's tenant, or 404.
    func existingProject(_ key: String, _ context: RequestContext) async throws -> Project {
        do {
            return try await storage.call(StorageContract.getProject, .init(key), metadata: context.metadata)
        } catch let error as RPCError where error.code == .notFound || error.code == .invalidArgument {
            throw APIError.notFound("project not found")
        }
    }

    /// Stores tickets in one request (one transaction); a rejected record becomes a 400 and nothing is written.
    func storeTickets(_ tickets: [Ticket], _ context: RequestContext) async throws {
        guard !tickets.isEmpty else { return }
        let response = try await storage.call(StorageContract.putTickets, .init(tickets: tickets, createMissingProjects: false),
                                              metadata: context.metadata)
        if let reject = response.rejects.first { throw APIError.badRequest(reject.reason) }
    }

    /// Plans live in the tenant's settings under `rebalance.<project>.<id>` (no schema change needed).
    static func rebalanceSettingKey(project: String, id: String) -> String { "rebalance.\(project).\(id)" }

    func saveRebalancePlan(_ plan: RebalancePlanBody, _ context: RequestContext) async throws {
        _ = try await storage.call(StorageContract.putSetting, .init(key: API.rebalanceSettingKey(project: plan.project, id: plan.id),
                                                                     value: Data(try JSONCoding.encode(plan))), metadata: context.metadata)
    }

    /// The plan named in the path, or 404 (also for a plan of another project).
    func loadRebalancePlan(_ context: RequestContext) async throws -> RebalancePlanBody {
        let id = context.param("id")
        let project = context.param("key")
        guard id.count == 16, id.allSatisfy(\.isHexDigit) else { throw APIError.notFound("rebalance plan not found") }
        let setting = try await storage.call(StorageContract.getSetting, .init(API.rebalanceSettingKey(project: project, id: id)),
                                             metadata: context.metadata)
        guard let value = setting.value, let plan = try? JSONCoding.decoder.decode(RebalancePlanBody.self, from: value),
              plan.project == project else { throw APIError.notFound("rebalance plan not found") }
        return plan
    }

    /// Runs `body` unless the same plan is being applied or undone by another request (409).
    func exclusively(_ context: RequestContext, _ body: () async throws -> HTTPResponse) async throws -> HTTPResponse {
        let token = "\(context.principal.tenant)\u{1F}\(context.param("id"))"
        guard rebalanceInFlight.withLock({ $0.insert(token).inserted }) else {
            throw APIError(409, "FAILED_PRECONDITION", "this plan is being changed by another request; try again")
        }
        defer { _ = rebalanceInFlight.withLock { $0.remove(token) } }
        return try await body()
    }
}

/// A rebalance plan as stored and answered: the moves with reasons, and what happened to it.
struct RebalancePlanBody: Codable, Sendable {
    enum Status: String, Codable, Sendable { case proposed, applied, undone }

    struct Move: Codable, Sendable {
        let ticket: String
        let from: PersonRef
        let to: PersonRef
        let reasons: [String]
        /// The ticket's `updated` (seconds since 1970) when planned: applying refuses a ticket that changed since.
        let planned: Double

        init(ticket: String, from: PersonRef, to: PersonRef, reasons: [String], planned: Double) {
            self.ticket = ticket
            self.from = from
            self.to = to
            self.reasons = reasons
            self.planned = planned
        }

        private enum CodingKeys: String, CodingKey { case ticket, from, to, reasons, planned, fromName, toName }

        /// Also reads plans stored before people were `{"id", "name"}`: `from` and `to` ids, `fromName` and `toName`.
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            ticket = try container.decode(String.self, forKey: .ticket)
            from = try RebalancePlanBody.person(container, .from, name: .fromName)
            to = try RebalancePlanBody.person(container, .to, name: .toName)
            reasons = try container.decode([String].self, forKey: .reasons)
            planned = try container.decode(Double.self, forKey: .planned)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(ticket, forKey: .ticket)
            try container.encode(from, forKey: .from)
            try container.encode(to, forKey: .to)
            try container.encode(reasons, forKey: .reasons)
            try container.encode(planned, forKey: .planned)
        }
    }

    struct Unresolved: Codable, Sendable {
        let ticket: String?
        let from: PersonRef
        let reason: String

        init(ticket: String?, from: PersonRef, reason: String) {
            self.ticket = ticket
            self.from = from
            self.reason = reason
        }

        private enum CodingKeys: String, CodingKey { case ticket, from, reason }

        /// Also reads plans stored when `from` was an id.
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            ticket = try container.decodeIfPresent(String.self, forKey: .ticket)
            from = try RebalancePlanBody.person(container, .from, name: nil)
            reason = try container.decode(String.self, forKey: .reason)
        }
    }

    /// The person at `key`: `{"id", "name"}`, or (a plan stored before) an id with its name at `name`, or the id alone.
    static func person<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key, name: Key?) throws -> PersonRef {
        if let person = try? container.decode(PersonRef.self, forKey: key) { return person }
        let id = try container.decode(String.self, forKey: key)
        return PersonRef(id: id, name: try name.flatMap { try container.decodeIfPresent(String.self, forKey: $0) } ?? id)
    }

    struct Skipped: Codable, Sendable {
        let ticket: String
        let reason: String
    }

    /// A move Jira refused (apply or undo): not stored. `status` and `reason` are what the manual
    /// assignment would have answered (400, 403, 404, 409 or 502 when Jira stayed unavailable after retries).
    struct Refusal: Codable, Sendable {
        let ticket: String
        let status: Int
        let reason: String
    }

    struct UndoReport: Codable, Sendable {
        let restored: [String]
        let skipped: [Skipped]
        /// Restoring moves Jira refused (nil in plans undone before Jira write-back).
        let refused: [Refusal]?
    }

    let id: String
    let project: String
    var status: Status
    let createdAt: Date
    let createdBy: String
    var appliedAt: Date?
    var undoneAt: Date?
    let moves: [Move]
    let unresolved: [Unresolved]
    /// Once applied: the moves Jira refused, neither stored nor recorded (empty when every move was
    /// applied; nil in plans applied before Jira write-back).
    var refused: [Refusal]?
    var undo: UndoReport?
}
