import Contracts
import Foundation
import HTTP
import RPC

extension API {
    static func registerTicketRoutes(_ routes: inout RouteTable<Endpoint>) {
        routes.add("GET", "/api/v1/tickets", .inHandler(reason: "viewer of the `project` query parameter, or of every project")) { api, context in
            let project = context.query("project")
            if let project {
                try await api.authorizer.require(.viewer, in: project, for: context.principal)
                try await api.requireProject(project, context)
            } else if try await api.authorizer.roles(of: context.principal)["*"] == nil {
                throw APIError.badRequest("query parameter `project` is required")
            }
            var statuses: [Ticket.Status]?
            if let text = context.query("status") {
                // `open` is what the panel's filter calls todo and in_progress together.
                statuses = try text.split(separator: ",").flatMap { value -> [Ticket.Status] in
                    if value == "open" { return [.todo, .inProgress] }
                    guard let status = Ticket.Status(rawValue: String(value)) else {
                        throw APIError.badRequest("query parameter `status` must be open, todo, in_progress or done (comma-separated)")
                    }
                    return [status]
                }
            }
            var since: Date?
            if let text = context.query("updatedSince") {
                guard let date = ISO8601.parse(text) else { throw APIError.badRequest("query parameter `updatedSince` must be an ISO 8601 date") }
                since = date
            }
            let page = try await api.storage.call(
                StorageContract.listTickets,
                .init(project: project, status: statuses, assignee: context.query("assignee"), updatedSince: since,
                      cursor: context.query("cursor"), limit: try context.intQuery("limit")),
                metadata: context.metadata)
            return try json(ListBody(items: page.items, next: page.next))
        }
        routes.add("POST", "/api/v1/tickets", .inHandler(reason: "member of the body's project")) { api, context in
            let input = try JSONCoding.decode(TicketInput.self, from: context.request.body)
            try await api.authorizer.require(.member, in: input.project, for: context.principal)
            let project = try await api.requireProject(input.project, context)
            // Before looking the key up: a key of another project is refused as such, never found (or not) there.
            guard Ticket.key(input.key, belongsTo: input.project) else { throw APIError.badRequest(Ticket.keyMismatch(input.key, project: input.project)) }
            if (try? await api.storage.call(StorageContract.getTicket, .init(input.key), metadata: context.metadata)) != nil {
                throw APIError(409, "ALREADY_EXISTS", "ticket \(input.key) already exists")
            }
            var ticket = input.ticket
            try await api.assignments.storeTicket(ticket, context.metadata)
            // A ticket arriving in a project that assigns automatically gets its recommendation (recorded) at once.
            if project.settings.autoAssign, ticket.assignee == nil, ticket.status != .done {
                if try await api.assignments.recommend(ticket, context.metadata).assigned != nil {
                    ticket = try await api.storage.call(StorageContract.getTicket, .init(ticket.key), metadata: context.metadata)
                }
            }
            return try json(ticket, status: 201)
        }
        routes.add("GET", "/api/v1/tickets/{key}", .inHandler(reason: "viewer of the stored ticket's project")) { api, context in
            try json(try await api.visibleTicket(context.param("key"), context, minimum: .viewer))
        }
        routes.add("PATCH", "/api/v1/tickets/{key}", .inHandler(reason: "member of the stored ticket's project")) { api, context in
            var ticket = try await api.visibleTicket(context.param("key"), context, minimum: .member)
            let patch = try JSONCoding.decodeStrict(TicketPatch.self, from: context.request.body)
            patch.apply(to: &ticket)
            try await api.assignments.storeTicket(ticket, context.metadata)
            return try json(ticket)
        }
        routes.add("GET", "/api/v1/tickets/{key}/decisions", .inHandler(reason: "viewer of the stored ticket's project")) { api, context in
            let ticket = try await api.visibleTicket(context.param("key"), context, minimum: .viewer)
            let page = try await api.storage.call(
                StorageContract.listDecisions, .init(ticket: ticket.key, cursor: context.query("cursor"), limit: try context.intQuery("limit")),
                metadata: context.metadata)
            let items = await api.decisionBodies(page.items, context)
            return try json(ListBody(items: items, next: page.next))
        }
    }

    /// The ticket, if the principal has at least `minimum` in its project; 404 otherwise (no leak).
    func visibleTicket(_ key: String, _ context: RequestContext, minimum: Role) async throws -> Ticket {
        let ticket: Ticket
        do {
            ticket = try await storage.call(StorageContract.getTicket, .init(key), metadata: context.metadata)
        } catch let error as RPCError where error.code == .notFound || error.code == .invalidArgument {
            throw APIError.notFound("ticket not found")
        }
        guard let role = try await authorizer.role(of: context.principal, in: ticket.project) else { throw APIError.notFound("ticket not found") }
        guard role >= minimum else { throw APIError.forbidden("this needs the \(minimum.rawValue) role in \(ticket.project)") }
        return ticket
    }

    /// Like ``visibleTicket(_:_:minimum:)``, with what a recommendation needs besides the ticket read
    /// in the same storage call: its project, the project's Jira-assignable setting (when Jira is on),
    /// its stored skills and the tenant's data version.
    func visibleTicketContext(_ key: String, _ context: RequestContext, minimum: Role) async throws -> StorageContract.TicketContext {
        let found: StorageContract.TicketContext
        if let prefetched = context.prefetchedTicket, key == context.param("key") {
            found = try await prefetched.value
        } else {
            found = try await assignments.ticketContext(key, context.metadata)
        }
        guard let role = try await authorizer.role(of: context.principal, in: found.ticket.project) else { throw APIError.notFound("ticket not found") }
        guard role >= minimum else { throw APIError.forbidden("this needs the \(minimum.rawValue) role in \(found.ticket.project)") }
        return found
    }

    /// The project, or 404 unless it exists in the caller's tenant.
    @discardableResult
    func requireProject(_ key: String, _ context: RequestContext) async throws -> Project {
        do {
            return try await storage.call(StorageContract.getProject, .init(key), metadata: context.metadata)
        } catch let error as RPCError where error.code == .notFound || error.code == .invalidArgument {
            throw APIError.notFound("project not found")
        }
    }

}

/// The body of `POST /api/v1/tickets`.
struct TicketInput: Decodable {
    let key: String
    let project: String
    let title: String
    let description: String?
    let components: [String]?
    let labels: [String]?
    let priority: String?
    let storyPoints: Double?
    let status: Ticket.Status?
    let assignee: String?
    let created: Date?
    /// When a `done` ticket was resolved (default now); ignored for other statuses.
    let resolved: Date?
    let requiredSkills: [RequiredSkill]?

    var ticket: Ticket {
        Ticket(key: key, project: project, title: title, description: description ?? "", components: components ?? [],
               labels: labels ?? [], priority: priority, storyPoints: storyPoints, status: status ?? .todo, assignee: assignee,
               created: created ?? Date(), updated: Date(), resolved: status == .done ? resolved ?? Date() : nil,
               requiredSkills: requiredSkills?.isEmpty == true ? nil : requiredSkills)
    }
}

/// The body of `PATCH /api/v1/tickets/{key}`: absent fields stay as they are.
struct TicketPatch: Codable {
    let title: String?
    let description: String?
    let components: [String]?
    let labels: [String]?
    let priority: String?
    let storyPoints: Double?
    let status: Ticket.Status?
    /// Replaces the ticket's own required skills; empty clears them.
    let requiredSkills: [RequiredSkill]?

    func apply(to ticket: inout Ticket) {
        if let title { ticket.title = title }
        if let description { ticket.description = description }
        if let components { ticket.components = components }
        if let labels { ticket.labels = labels }
        if let priority { ticket.priority = priority }
        if let storyPoints { ticket.storyPoints = storyPoints }
        if let requiredSkills { ticket.requiredSkills = requiredSkills.isEmpty ? nil : requiredSkills }
        if let status {
            if status == .done && ticket.status != .done { ticket.resolved = Date() }
            if status != .done { ticket.resolved = nil }
            ticket.status = status
        }
        ticket.updated = Date()
    }
}
