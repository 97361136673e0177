import Contracts
import Foundation
import HTTP
import RPC

extension API {
    static func registerPeopleRoutes(_ routes: inout RouteTable<Endpoint>) {
        routes.add("GET", "/api/v1/people", .anyRole) { api, context in
            let page = try await api.storage.call(
                StorageContract.listPeople, .init(cursor: context.query("cursor"), limit: try context.intQuery("limit")),
                metadata: context.metadata)
            return try json(ListBody(items: page.items, next: page.next))
        }
        routes.add("GET", "/api/v1/people/{id}", .anyRole) { api, context in
            return try json(try await api.storage.call(StorageContract.getPerson, .init(context.param("id")), metadata: context.metadata))
        }
        routes.add("PATCH", "/api/v1/people/{id}", .inHandler(reason: "the person themselves, or an admin of every project they work in")) { api, context in
            let id = context.param("id")
            let roles = try await api.authorizer.roles(of: context.principal)
            let adminOf = Set(roles.filter { $0.value == .admin }.keys)
            let isSelf = id == context.principal.person
            guard isSelf || !adminOf.isEmpty else { throw APIError.forbidden("only the person or an admin of their projects may change this") }
            var person = try await api.storage.call(StorageContract.getPerson, .init(id), metadata: context.metadata)
            let patch = try JSONCoding.decodeStrict(PersonPatch.self, from: context.request.body)
            // A person changes their own availability; an admin of a project the person works in changes the rest; `*` admins anyone.
            if !adminOf.contains("*"), !(isSelf && patch.adminFields.isEmpty),
               try await !api.worksIn(id, projects: adminOf, context) {
                let fields = patch.adminFields.map { "`\($0)`" }.joined(separator: " and ")
                throw APIError.forbidden(isSelf
                    ? "people change their own availability, skills and opt-out; changing \(fields) needs an admin of a project they work in"
                    : "only an admin of a project this person works in (or of every project, `*`) may change them")
            }
            let before = person
            patch.apply(to: &person)
            let response = try await api.storage.call(StorageContract.putPeople, .init(people: [person]), metadata: context.metadata)
            if let reject = response.rejects.first { throw APIError.badRequest(reject.reason) }
            // Every edit, by the person or an admin, is in the audit record (tenant-wide: a person is no project's).
            try await api.recordChange(.person, project: nil, target: id, before: before, after: person, context)
            return try json(person)
        }
    }

    /// Whether person `id` works in one of `projects`: has a ticket there (open or resolved), a role there,
    /// or is one of the people Jira lists as assignable there.
    func worksIn(_ id: String, projects: Set<String>, _ context: RequestContext) async throws -> Bool {
        guard !projects.isEmpty else { return false }
        let roles = try await storage.call(StorageContract.listRoles, .init(principal: id), metadata: context.metadata)
        if roles.items.contains(where: { projects.contains($0.project) }) { return true }
        for project in projects.sorted() {
            let page = try await storage.call(StorageContract.listTickets, .init(project: project, assignee: id, limit: 1), metadata: context.metadata)
            if !page.items.isEmpty { return true }
            if try await assignments.jiraAssignable(project, context.metadata)?.contains(id) == true { return true }
        }
        return false
    }
}

/// The body of `PATCH /api/v1/people/{id}`: absent fields stay as they are.
struct PersonPatch: Codable {
    let displayName: String?
    let timeZone: String?
    let weeklyCapacity: Double?
    let capacityUnit: String?
    let workingHours: Person.WorkingHours?
    let timeOff: [Person.TimeOff]?
    let declaredSkills: [Person.DeclaredSkill]?
    let active: Bool?
    let optedOut: Bool?

    /// The fields present that only an admin may change (a person may change the rest of their own record).
    var adminFields: [String] {
        [displayName.map { _ in "displayName" }, active.map { _ in "active" }].compactMap { $0 }
    }

    func apply(to person: inout Person) {
        if let displayName { person.displayName = displayName }
        if let timeZone { person.timeZone = timeZone }
        if let weeklyCapacity { person.weeklyCapacity = weeklyCapacity }
        if let capacityUnit { person.capacityUnit = capacityUnit }
        if let workingHours { person.workingHours = workingHours }
        if let timeOff { person.timeOff = timeOff }
        if let declaredSkills { person.declaredSkills = declaredSkills }
        if let active { person.active = active }
        if let optedOut { person.optedOut = optedOut }
    }
}
