import Contracts
import Foundation
import RPC

extension Store {
    /// Creates or updates tickets by key in one transaction. Records that fail validation are
    /// rejected with their position and reason; the valid ones are stored. Re-sending the same
    /// tickets changes nothing (they count as unchanged). An assignee erased in the tenant is stored as their pseudonym.
    public func putTickets(_ tenant: String, _ request: StorageContract.PutTicketsRequest) async throws -> StorageContract.PutTicketsResponse {
        guard request.tickets.count <= 5000 else { throw RPCError.invalidArgument("tickets: more than 5000 in one call") }
        if let positions = request.positions, positions.count != request.tickets.count {
            throw RPCError.invalidArgument("positions: must have one entry per ticket")
        }
        var rejects: [StorageContract.Reject] = []
        var valid: [(position: Int, ticket: Ticket)] = []
        var seen = Set<String>()
        for (index, ticket) in request.tickets.enumerated() {
            let position = request.positions?[index] ?? index
            do {
                try Validation.ticket(ticket)
                guard seen.insert(ticket.key).inserted else {
                    throw RPCError.invalidArgument("key: duplicate of an earlier record in the same batch")
                }
                valid.append((position, ticket))
            } catch let error as RPCError {
                rejects.append(.init(position: position, key: ticket.key.isEmpty ? nil : String(ticket.key.prefix(100)), reason: error.message))
            }
        }
        let records = valid
        let createProjects = request.createMissingProjects ?? false
        let defaultSettings = try Store.json(ProjectSettings())
        let (result, unknownProjects) = try await write { db -> (StorageContract.PutTicketsResponse, [(Int, String?, String)]) in
            try Store.requireTenant(db, tenant)
            var response = StorageContract.PutTicketsResponse()
            var knownProjects = Set<String>()
            var missing: [(Int, String?, String)] = []
            let erased = try Store.erasedPeople(db, tenant)
            let projects = try db.prepare("SELECT key FROM projects WHERE tenant = ?")
            try projects.bind([.text(tenant)])
            while try projects.step() { knownProjects.insert(projects.text(0) ?? "") }
            for (position, ticket) in records {
                if !knownProjects.contains(ticket.project) {
                    guard createProjects else {
                        missing.append((position, ticket.key, "project: unknown project \(ticket.project)"))
                        continue
                    }
                    try db.run("INSERT INTO projects(tenant, key, name, settings) VALUES(?, ?, ?, ?)",
                               [.text(tenant), .text(ticket.project), .text(ticket.project), defaultSettings])
                    knownProjects.insert(ticket.project)
                }
                let fingerprint = Store.fingerprint(ticket)
                let stored = try db.prepare("SELECT fingerprint, project FROM tickets WHERE tenant = ? AND key = ?")
                try stored.bind([.text(tenant), .text(ticket.key)])
                let existing: SQLValue? = try stored.step() ? stored.value(0) : nil
                if existing != nil, stored.text(1) != ticket.project {
                    // A row stored before keys had to name their project: never moved to another project by a write.
                    missing.append((position, ticket.key, Ticket.keyMismatch(ticket.key, project: ticket.project)))
                    continue
                }
                // The fingerprint is of the ticket as sent, so one re-sent as it was before an erasure stays unchanged.
                var assignee = ticket.assignee
                if let erased, let id = assignee, let pseudonym = try erased(id) { assignee = pseudonym }
                let values: [SQLValue] = [
                    .text(ticket.project), .text(ticket.title), .text(ticket.description),
                    .text(StringList.encode(ticket.components)), .text(StringList.encode(ticket.labels)),
                    .optional(ticket.priority), .optional(ticket.storyPoints), .text(ticket.status.rawValue),
                    .optional(assignee), .date(ticket.created), .date(ticket.updated), .optionalDate(ticket.resolved),
                    Store.requiredSkills(ticket), .integer(fingerprint), .text(tenant), .text(ticket.key),
                ]
                if let existing {
                    if existing.int == fingerprint {
                        response.unchanged += 1
                        continue
                    }
                    try db.run("""
                        UPDATE tickets SET project = ?, title = ?, description = ?, components = ?, labels = ?, priority = ?,
                            story_points = ?, status = ?, assignee = ?, created = ?, updated = ?, resolved = ?, required_skills = ?, fingerprint = ?,
                            changed = \(Store.nextDataVersion(db.engine))
                        WHERE tenant = ? AND key = ?
                        """, values)
                    response.updated += 1
                } else {
                    try db.run("""
                        INSERT INTO tickets(project, title, description, components, labels, priority, story_points, status,
                            assignee, created, updated, resolved, required_skills, fingerprint, tenant, key, changed)
                        VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, \(Store.nextDataVersion(db.engine)))
                        """, values)
                    response.created += 1
                }
            }
            return (response, missing)
        }
        var response = result
        response.rejects = (rejects + unknownProjects.map { .init(position: $0.0, key: $0.1, reason: $0.2) })
            .sorted { $0.position < $1.position }
        return response
    }

    /// The ticket, or NOT_FOUND.
    public func getTicket(_ tenant: String, _ key: String) async throws -> Ticket {
        _ = try Validation.key(key, field: "key")
        return try await readOne("SELECT \(Store.ticketColumns) FROM tickets WHERE tenant = ? AND key = ?", [.text(tenant), .text(key)],
                                 missing: "ticket not found") { Store.ticket($0) }
    }

    /// A page of tickets matching the filters, in a stable order (first stored first, or with `newestFirst` last stored
    /// first).
    public func listTickets(_ tenant: String, _ request: StorageContract.ListTicketsRequest) async throws -> StorageContract.TicketPage {
        let after = try Cursor.decode(request.cursor)   // 0: from the start, whichever the order
        let limit = try Validation.limit(request.limit)
        let newestFirst = request.newestFirst == true
        var filter = SQLFilter("SELECT \(Store.ticketColumns), seq FROM tickets WHERE tenant = ?", tenant: tenant)
        if !newestFirst || after > 0 { filter.and(newestFirst ? "seq < ?" : "seq > ?", .integer(after)) }
        if let project = request.project { filter.and("project = ?", .text(project)) }
        filter.and("status", in: (request.status ?? []).map { .text($0.rawValue) })
        if let assignee = request.assignee { filter.and("assignee = ?", .text(assignee)) }
        if let since = request.updatedSince { filter.and("updated >= ?", .date(since)) }
        filter.page(newestFirst ? "seq DESC" : "seq", limit: limit)
        return try await readPage(filter, limit: limit, { Store.ticket($0) }, position: { statement, _ in statement.int(Store.ticketColumnCount) })
    }

    /// The data version the write of a ticket row makes, as SQL for the row's `changed`, so
    /// ``changedTickets(_:since:limit:)`` finds it: on SQLite the row's AFTER trigger bumps the counter by one after the
    /// write, so it is the counter plus one; on PostgreSQL a BEFORE trigger sets `changed` itself.
    static func nextDataVersion(_ engine: DatabaseEngine) -> String {
        engine == .sqlite ? "(SELECT value + 1 FROM data_version_seq WHERE id = 1)" : "0"
    }

    /// The tenant's tickets written after data version `since` (the counter of ``StorageContract/DataVersion``), in
    /// the order written, at most `limit`; with the version of the last one.
    public func changedTickets(_ tenant: String, since: Int64, limit: Int?) async throws -> StorageContract.ChangedTickets {
        let limit = try Validation.limit(limit)
        return try await read { db in
            let statement = try db.prepare("SELECT \(Store.ticketColumns), changed FROM tickets WHERE tenant = ? AND changed > ? ORDER BY changed LIMIT ?")
            try statement.bind([.text(tenant), .integer(since), .integer(Int64(limit + 1))])
            var items: [Ticket] = []
            var last = since
            while try statement.step() {
                if items.count == limit { return .init(items: items, last: last, more: true) }
                items.append(Store.ticket(statement))
                last = statement.int(Store.ticketColumnCount)
            }
            return .init(items: items, last: last, more: false)
        }
    }

    static let ticketColumns = """
        key, project, title, description, components, labels, priority, story_points, status, assignee, created, updated, resolved,
        required_skills
        """
    /// How many columns ``ticketColumns`` names (the next column of a query is at this index).
    static let ticketColumnCount: Int32 = 14

    static func ticket(_ statement: Statement) -> Ticket {
        Ticket(key: statement.text(0) ?? "", project: statement.text(1) ?? "", title: statement.text(2) ?? "",
               description: statement.text(3) ?? "", components: statement.withText(4, StringList.decode(bytes:)),
               labels: statement.withText(5, StringList.decode(bytes:)), priority: statement.text(6),
               storyPoints: statement.double(7), status: Ticket.Status(rawValue: statement.text(8) ?? "") ?? .todo,
               assignee: statement.text(9), created: statement.date(10) ?? Date(timeIntervalSince1970: 0),
               updated: statement.date(11), resolved: statement.date(12),
               requiredSkills: statement.isNull(13) ? nil : statement.withText(13) { try? JSONDecoder().decode([RequiredSkill].self, from: Data($0)) })
    }

    /// A ticket's required skills as stored (JSON), or NULL.
    static func requiredSkills(_ ticket: Ticket) -> SQLValue {
        guard let required = ticket.requiredSkills, let json = try? JSONEncoder().encode(required) else { return .null }
        return .text(String(decoding: json, as: UTF8.self))
    }

    /// A 64-bit FNV-1a hash of every stored field, to tell an unchanged re-import from an update.
    static func fingerprint(_ ticket: Ticket) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String) {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            hash ^= 0x1F
            hash = hash &* 0x100_0000_01b3
        }
        mix(ticket.project)
        mix(ticket.title)
        mix(ticket.description)
        ticket.components.forEach(mix)
        mix("|")
        ticket.labels.forEach(mix)
        mix(ticket.priority ?? "\u{0}")
        mix(ticket.storyPoints.map { String($0) } ?? "\u{0}")
        mix(ticket.status.rawValue)
        mix(ticket.assignee ?? "\u{0}")
        mix(String(ticket.created.timeIntervalSince1970))
        mix(String(ticket.updated.timeIntervalSince1970))
        mix(ticket.resolved.map { String($0.timeIntervalSince1970) } ?? "\u{0}")
        if let required = ticket.requiredSkills {   // absent adds nothing: fingerprints stored before the field stay valid
            mix("required")
            for requirement in required {
                mix(requirement.skill)
                mix(String(requirement.minLevel))
            }
        }
        return Int64(bitPattern: hash)
    }
}
