import Contracts
import Foundation
import HTTP
import RPC

extension API {
    static func registerMetricsRoutes(_ routes: inout RouteTable<Endpoint>) {
        routes.add("GET", "/api/v1/metrics", .inHandler(reason: "viewer of the `project` query parameter")) { api, context in
            guard let project = context.query("project") else { throw APIError.badRequest("query parameter `project` is required") }
            try await api.authorizer.require(.viewer, in: project, for: context.principal)
            try await api.requireProject(project, context)
            let weeks = try context.intQuery("weeks") ?? 12
            guard (1...104).contains(weeks) else { throw APIError.badRequest("query parameter `weeks` must be between 1 and 104") }
            let tickets = try await api.allTickets(.init(project: project), context)
            let people = try await api.allPeople(context)
            return try json(ProjectMetrics.compute(project: project, tickets: tickets, people: people, weeks: weeks, now: Date()))
        }
    }
}

/// Load, throughput and coverage of one project, per person and overall.
struct ProjectMetrics: Encodable {
    struct PersonMetrics: Encodable {
        let id: String
        let name: String
        let openTickets: Int
        let openLoad: Double
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
    /// Skills only one person has worked with recently: the bus-factor risks.
    let singlePersonSkills: [String: String]

    static func compute(project: String, tickets: [Ticket], people: [Person], weeks: Int, now: Date) -> ProjectMetrics {
        let since = now.addingTimeInterval(-Double(weeks) * 7 * 86_400)
        let names = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var open: [String: (count: Int, load: Double)] = [:]
        var resolved: [String: [Double]] = [:]
        var skillPeople: [String: Set<String>] = [:]
        var allDurations: [Double] = []
        var openCount = 0
        for ticket in tickets {
            if ticket.status != .done {
                openCount += 1
                if let assignee = ticket.assignee {
                    open[assignee, default: (0, 0)].count += 1
                    open[assignee, default: (0, 0)].load += max(0.5, ticket.storyPoints ?? 1)
                }
            } else if let done = ticket.resolved, done >= since, let assignee = ticket.assignee {
                let hours = max(0, done.timeIntervalSince(ticket.created)) / 3600
                resolved[assignee, default: []].append(hours)
                allDurations.append(hours)
                for skill in ticket.components + ticket.labels { skillPeople[skill, default: []].insert(assignee) }
            }
        }
        let everyone = Set(open.keys).union(resolved.keys)
        let rows = everyone.sorted().map { id in
            PersonMetrics(id: id, name: names[id]?.displayName ?? id, openTickets: open[id]?.count ?? 0, openLoad: open[id]?.load ?? 0,
                          capacity: names[id]?.weeklyCapacity ?? 10, resolvedPerWeek: Double(resolved[id]?.count ?? 0) / Double(weeks),
                          medianResolutionHours: median(resolved[id] ?? []))
        }
        return ProjectMetrics(
            project: project, weeks: weeks, openTickets: openCount, resolvedPerWeek: Double(allDurations.count) / Double(weeks),
            medianResolutionHours: median(allDurations), people: rows, skillCoverage: skillPeople.mapValues(\.count),
            singlePersonSkills: skillPeople.filter { $0.value.count == 1 }.mapValues { $0.first! })
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        let value = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        return (value * 10).rounded() / 10
    }
}
