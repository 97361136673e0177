import Contracts
import Foundation
import HTTP
import RPC

extension API {
    /// Items of one kind an export reads at the most (a hundred pages).
    static let maxExportItems = 100_000

    /// `GET /api/v1/people/{id}/export` (the person themselves, or an admin of every project, `*`): everything SmartTicket
    /// holds about the person, as one JSON document (``PersonExport``): the right of access.
    static func registerPersonExportRoute(_ routes: inout RouteTable<Endpoint>) {
        routes.add("GET", "/api/v1/people/{id}/export", .inHandler(reason: "the person themselves, or an admin of every project (`*`)")) { api, context in
            let id = context.param("id")
            if id != context.principal.person {
                let roles = try await api.authorizer.roles(of: context.principal)
                guard roles["*"] == .admin else {
                    throw APIError.forbidden("only the person themselves, or an admin of every project (`*`), may export a person's data")
                }
            }
            return try json(try await api.export(person: id, context))
        }
    }

    /// What the export of `id` holds, read from storage and scoring.
    func export(person id: String, _ context: RequestContext) async throws -> PersonExport {
        let person = try await storage.call(StorageContract.getPerson, .init(id), metadata: context.metadata)
        let learned = try await scoring.call(ScoringContract.profile, .init(person: id), metadata: context.metadata)
        let metadata = context.metadata
        let tickets = try await StorageContract.TicketPage.collect(atLeast: Self.maxExportItems) { cursor in
            try await storage.call(StorageContract.listTickets, .init(assignee: id, cursor: cursor, limit: 1000), metadata: metadata)
        }
        let decisions = try await StorageContract.DecisionPage.collect(atLeast: Self.maxExportItems) { cursor in
            try await storage.call(StorageContract.listDecisions, .init(cursor: cursor, limit: 1000, person: id, withoutCandidates: true),
                                   metadata: metadata)
        }
        let byThem = try await StorageContract.AuditPage.collect(atLeast: Self.maxExportItems) { cursor in
            try await storage.call(StorageContract.listAudit, .init(cursor: cursor, limit: 1000, actor: id), metadata: metadata)
        }
        let aboutThem = try await StorageContract.AuditPage.collect(atLeast: Self.maxExportItems) { cursor in
            try await storage.call(StorageContract.listAudit, .init(target: id, cursor: cursor, limit: 1000), metadata: metadata)
        }
        let complete = [tickets.rest, decisions.rest, byThem.rest, aboutThem.rest].allSatisfy { $0 == nil }
        let names = [id: person.displayName]
        var seen = Set<Int64>()
        let changes = (byThem.items + aboutThem.items).filter { seen.insert($0.id).inserted }.sorted { $0.id > $1.id }
        return PersonExport(
            exportedAt: Date(), tenant: context.principal.tenant, person: person,
            skills: PersonSkill.merge(declared: person.declaredSkills, learned: learned.items), tickets: tickets.items,
            decisions: decisions.items.sorted { $0.id > $1.id }.map { AuditItem($0).named(names) },
            changes: changes.map { AuditItem($0).named(names) }, complete: complete)
    }
}

/// Everything SmartTicket holds about one person (`GET /api/v1/people/{id}/export`).
struct PersonExport: Encodable {
    let exportedAt: Date
    let tenant: String
    /// The profile: name, time zone, capacity, working hours, time off, declared skills, opt-out.
    let person: Person
    /// Declared skills merged with those learned from the tickets they resolved.
    let skills: [PersonSkill]
    /// Every ticket assigned to them, open or resolved, with its text.
    let tickets: [Ticket]
    /// Every decision naming them as the person chosen or the one the ticket was taken from, newest first.
    let decisions: [AuditItem]
    /// Every admin change they made, and every change to their record, newest first.
    let changes: [AuditItem]
    /// False when a list stopped at ``API/maxExportItems`` items.
    let complete: Bool
}
