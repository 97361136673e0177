import Contracts
import Foundation
import HTTP
import RPC

extension API {
    static func registerPeopleRoutes(_ routes: inout RouteTable<Handler>) {
        routes.add("GET", "/api/v1/people") { api, context in
            guard !(try await api.authorizer.roles(of: context.principal)).isEmpty else { throw APIError.forbidden() }
            let page = try await api.storage.call(
                StorageContract.listPeople, .init(cursor: context.query("cursor"), limit: try context.intQuery("limit")),
                metadata: context.metadata)
            return try json(ListBody(items: page.items, next: page.next))
        }
        routes.add("GET", "/api/v1/people/{id}") { api, context in
            guard !(try await api.authorizer.roles(of: context.principal)).isEmpty else { throw APIError.forbidden() }
            return try json(try await api.storage.call(StorageContract.getPerson, .init(context.param("id")), metadata: context.metadata))
        }
        routes.add("PATCH", "/api/v1/people/{id}") { api, context in
            let id = context.param("id")
            let roles = try await api.authorizer.roles(of: context.principal)
            // People edit their own availability; admins edit anyone's.
            guard id == context.principal.subject || roles.values.contains(.admin) else {
                throw APIError.forbidden("only the person or an admin may change this")
            }
            var person = try await api.storage.call(StorageContract.getPerson, .init(id), metadata: context.metadata)
            let patch = try JSONCoding.decodeStrict(PersonPatch.self, from: context.request.body)
            patch.apply(to: &person)
            let response = try await api.storage.call(StorageContract.putPeople, .init(people: [person]), metadata: context.metadata)
            if let reject = response.rejects.first { throw APIError.badRequest(reject.reason) }
            return try json(person)
        }
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
