import Contracts
import Foundation
import Model
import RPC
import ScoringCore

/// `scoring.v1/WhatIf`: the replay protocol over a project's stored resolved tickets, once per weight set.
enum WhatIfHandler {
    /// At most this many weight sets per request, and tickets per project (the most recently resolved).
    static let maxWeightSets = 5
    static let maxTickets = 50_000

    /// Each ticket is detected as production does: its skills from the skills service (`skills`), read once beforehand.
    static func run(_ request: ScoringContract.WhatIfRequest, tenant: String, storage: StorageClient,
                    skills: TicketSkillsReader) async throws -> ScoringContract.WhatIfResponse {
        try validate(request)
        let metadata = Metadata(tenant: tenant, principal: "scoring")
        var cursor: String?
        var records: [HistoryRecord] = []
        var tickets: [Ticket] = []
        repeat {
            let page = try await storage.call(StorageContract.listTickets, .init(project: request.project, status: [.done], cursor: cursor, limit: 1000),
                                              metadata: metadata)
            tickets += page.items.filter { $0.resolved != nil && $0.assignee != nil }
            records += page.items.compactMap(record)
            cursor = page.next
        } while cursor != nil
        if records.count > maxTickets {
            records = Array(records.sorted { $0.resolved! < $1.resolved! }.suffix(maxTickets))
        }
        let sets = request.weights
        let frozen = records
        let kept = Set(records.map(\.key))
        let detected = PrefetchedSkills(await skills.skills(of: tickets.filter { kept.contains($0.key) }, tenant: tenant))
        // CPU-bound for up to seconds: on a thread of its own, not the cooperative pool.
        let outcomes = await withCheckedContinuation { (continuation: CheckedContinuation<[WhatIf.Outcome], Never>) in
            Thread { continuation.resume(returning: WhatIf.run(frozen, weightSets: sets, skillSource: { detected })) }.start()
        }
        return .init(tickets: records.count, outcomes: outcomes)
    }

    /// INVALID_ARGUMENT naming the field.
    static func validate(_ request: ScoringContract.WhatIfRequest) throws {
        guard !request.project.isEmpty, request.project.utf8.count <= 100 else {
            throw RPCError(.invalidArgument, "project: required, at most 100 bytes")
        }
        guard (1...maxWeightSets).contains(request.weights.count) else {
            throw RPCError(.invalidArgument, "weights: 1 to \(maxWeightSets) weight sets")
        }
        for (index, weights) in request.weights.enumerated() {
            if let problem = WhatIf.validate(weights) {
                throw RPCError(.invalidArgument, problem.replacingOccurrences(of: "weights.", with: "weights[\(index)]."))
            }
        }
    }

    /// A resolved, assigned ticket as a history record.
    static func record(_ ticket: Ticket) -> HistoryRecord? {
        guard let resolved = ticket.resolved, let assignee = ticket.assignee else { return nil }
        return HistoryRecord(key: ticket.key, project: ticket.project, title: ticket.title, description: ticket.description,
                             components: ticket.components, labels: ticket.labels, assignee: assignee, created: ticket.created,
                             resolved: resolved, status: ticket.status, priority: ticket.priority, storyPoints: ticket.storyPoints)
    }
}
