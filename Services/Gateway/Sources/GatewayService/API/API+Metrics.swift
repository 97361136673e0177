import Contracts
import Foundation
import HTTP
import RPC

extension API {
    static func registerMetricsRoutes(_ routes: inout RouteTable<Endpoint>) {
        routes.add("GET", "/api/v1/metrics", .inHandler(reason: "viewer of the `project` query parameter")) { api, context in
            guard let project = context.query("project") else { throw APIError.badRequest("query parameter `project` is required") }
            try await api.authorizer.require(.viewer, in: project, for: context.principal)
            let settings = try await api.requireProject(project, context).settings
            let weeks = try context.intQuery("weeks") ?? 12
            guard (1...104).contains(weeks) else { throw APIError.badRequest("query parameter `weeks` must be between 1 and 104") }
            let tickets = try await api.allTickets(.init(project: project), context)
            let people = try await api.allPeople(context)
            // Load is what the ranking's workload factor counts: every open ticket of the person, in any project.
            var openWork: [String: [OpenTicket]] = [:]
            for ticket in try await api.allTickets(.init(status: [.todo, .inProgress]), context) {
                guard let assignee = ticket.assignee else { continue }
                openWork[assignee, default: []].append(OpenTicket(storyPoints: ticket.storyPoints, priority: ticket.priority, updated: ticket.updated))
            }
            return try json(ProjectMetrics.compute(project: project, tickets: tickets, openWork: openWork, people: people, weeks: weeks,
                                                   staleDays: settings.staleDays, now: Date()))
        }
    }
}

/// Load, throughput and coverage of one project, per person and overall.
struct ProjectMetrics: Encodable {
    struct PersonMetrics: Encodable {
        let id: String
        let name: String
        /// Open tickets in this project.
        let openTickets: Int
        /// Open effort in every project, as the ranking's workload factor counts it (``Workload``): story points (1 when
        /// unestimated) times a priority factor, halved when untouched for the project's `staleDays`.
        let openLoad: Double
        /// Weekly capacity (``Workload/defaultCapacity`` when unset, at least 1).
        let capacity: Double
        let resolvedPerWeek: Double
        let medianResolutionHours: Double?
    }

    let project: String
    let weeks: Int
    let openTickets: Int
    let resolvedPerWeek: Double
    let medianResolutionHours: Double?
    let people: [PersonMetrics]
    /// Components and labels (the team's skills) to how many people resolved tickets with them recently.
    let skillCoverage: [String: Int]
    /// Skills only one person has worked with recently (the bus-factor risks), to that person.
    let singlePersonSkills: [String: PersonRef]

    /// `openWork`: every person's open tickets in every project (their load); `tickets`: the project's tickets.
    static func compute(project: String, tickets: [Ticket], openWork: [String: [OpenTicket]], people: [Person], weeks: Int,
                        staleDays: Int, now: Date) -> ProjectMetrics {
        let since = now.addingTimeInterval(-Double(weeks) * 7 * 86_400)
        let names = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var open: [String: Int] = [:]
        var resolved: [String: [Double]] = [:]
        var skillPeople: [String: Set<String>] = [:]
        var allDurations: [Double] = []
        var openCount = 0
        for ticket in tickets {
            if ticket.status != .done {
                openCount += 1
                if let assignee = ticket.assignee { open[assignee, default: 0] += 1 }
            } else if let done = ticket.resolved, done >= since, let assignee = ticket.assignee {
                let hours = max(0, done.timeIntervalSince(ticket.created)) / 3600
                resolved[assignee, default: []].append(hours)
                allDurations.append(hours)
                for skill in ticket.components + ticket.labels { skillPeople[skill, default: []].insert(assignee) }
            }
        }
        let everyone = Set(open.keys).union(resolved.keys)
        let rows = everyone.sorted().map { id in
            let load = Workload.value(open: openWork[id] ?? [], weeklyCapacity: names[id]?.weeklyCapacity, now: now, staleDays: staleDays)
            return PersonMetrics(id: id, name: names[id]?.displayName ?? id, openTickets: open[id] ?? 0, openLoad: load.load,
                                 capacity: load.capacity, resolvedPerWeek: Double(resolved[id]?.count ?? 0) / Double(weeks),
                                 medianResolutionHours: RoutingQuality.median(resolved[id] ?? []))
        }
        return ProjectMetrics(
            project: project, weeks: weeks, openTickets: openCount, resolvedPerWeek: Double(allDurations.count) / Double(weeks),
            medianResolutionHours: RoutingQuality.median(allDurations), people: rows, skillCoverage: skillPeople.mapValues(\.count),
            singlePersonSkills: skillPeople.filter { $0.value.count == 1 }.mapValues { PersonRef($0.first!, names: names.mapValues(\.displayName)) })
    }
}
