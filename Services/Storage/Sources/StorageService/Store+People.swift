import Contracts
import Foundation
import RPC

extension Store {
    /// Creates or replaces people by id; invalid records are rejected with their position. People erased in the tenant
    /// (``erasePerson(_:_:)``) are left out: an import or a Jira sync does not bring them back.
    public func putPeople(_ tenant: String, _ people: [Person], onlyIfMissing: Bool = false) async throws -> StorageContract.PutPeopleResponse {
        guard people.count <= 5000 else { throw RPCError.invalidArgument("people: more than 5000 in one call") }
        var rejects: [StorageContract.Reject] = []
        var valid: [(Person, SQLValue)] = []
        for (index, person) in people.enumerated() {
            do {
                try Validation.person(person)
                valid.append((person, try Store.json(person)))
            } catch let error as RPCError {
                rejects.append(.init(position: index, key: person.id.isEmpty ? nil : String(person.id.prefix(100)), reason: error.message))
            }
        }
        let records = valid
        let stored = try await write { db in
            try Store.requireTenant(db, tenant)
            let now = Date()
            let erased = try Store.erasedPeople(db, tenant)
            var stored = 0
            for (person, body) in records {
                if let erased, try erased(person.id) != nil { continue }   // erased: never stored again
                let conflict = onlyIfMissing ? "DO NOTHING" : """
                    DO UPDATE SET display_name = excluded.display_name, active = excluded.active,
                        body = excluded.body, updated = excluded.updated
                    """
                try db.run("""
                    INSERT INTO people(tenant, id, display_name, active, body, updated) VALUES(?, ?, ?, ?, ?, ?)
                    ON CONFLICT(tenant, id) \(conflict)
                    """, [.text(tenant), .text(person.id), .text(person.displayName), .bool(person.active), body, .date(now)])
                stored += 1
            }
            return stored
        }
        return .init(stored: stored, rejects: rejects)
    }

    /// The person, or NOT_FOUND.
    public func getPerson(_ tenant: String, _ id: String) async throws -> Person {
        _ = try Validation.key(id, field: "key")
        return try await readOne("SELECT body FROM people WHERE tenant = ? AND id = ?", [.text(tenant), .text(id)],
                                 missing: "person not found") { try Store.fromJSON(Person.self, $0.blob(0)) }
    }

    /// A page of people in a stable order.
    public func listPeople(_ tenant: String, _ request: StorageContract.ListPeopleRequest) async throws -> StorageContract.PersonPage {
        let after = try Cursor.decode(request.cursor)
        let limit = try Validation.limit(request.limit, default: 500)
        let activeOnly = request.activeOnly ?? false
        var filter = SQLFilter("SELECT seq, body FROM people WHERE tenant = ?", tenant: tenant)
        filter.and("seq > ?", .integer(after))
        if activeOnly { filter.and("active = 1") }
        filter.page("seq", limit: limit)
        return try await readPage(filter, limit: limit, { try Store.fromJSON(Person.self, $0.blob(1)) }, position: { statement, _ in statement.int(0) })
    }
}
