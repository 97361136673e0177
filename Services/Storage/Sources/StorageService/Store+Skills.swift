import Contracts
import Foundation
import JSONKit
import RPC

extension Store {
    /// Stores the skills detected for a ticket.
    public func putTicketSkills(_ tenant: String, _ skills: StorageContract.TicketSkills) async throws {
        _ = try Validation.key(skills.ticket, field: "ticket")
        _ = try Validation.identifier(skills.contentHash, field: "contentHash", maxLength: 128)
        guard skills.skills.count <= 200 else { throw RPCError.invalidArgument("skills: more than 200") }
        var writer = JSONWriter(capacity: 128 * skills.skills.count + 2)
        try writer.skills(skills.skills)   // what Store.json writes, without JSONEncoder's cost
        let body = SQLValue.blob(writer.bytes)
        try await write(durable: false) { db in   // detected again if lost
            try Store.requireTenant(db, tenant)
            try db.run("""
                INSERT INTO ticket_skills(tenant, ticket, content_hash, skills) VALUES(?, ?, ?, ?)
                ON CONFLICT(tenant, ticket) DO UPDATE SET content_hash = excluded.content_hash, skills = excluded.skills
                """, [.text(tenant), .text(skills.ticket), .text(skills.contentHash), body])
        }
    }

    /// The skills stored for a ticket, or NOT_FOUND.
    public func getTicketSkills(_ tenant: String, _ ticket: String) async throws -> StorageContract.TicketSkills {
        _ = try Validation.key(ticket, field: "key")
        return try await readOne("SELECT content_hash, skills FROM ticket_skills WHERE tenant = ? AND ticket = ?", [.text(tenant), .text(ticket)],
                                 missing: "no skills stored for this ticket") { statement in
            .init(ticket: ticket, skills: try Store.fromJSON([DetectedSkill].self, statement.blob(1)), contentHash: statement.text(0) ?? "")
        }
    }

    /// Replaces the learned profiles of the people given.
    public func putProfiles(_ tenant: String, _ profiles: [SkillProfile]) async throws {
        guard profiles.count <= 10_000 else { throw RPCError.invalidArgument("items: more than 10000") }
        var rows: [(String, SQLValue, Date)] = []
        for (index, profile) in profiles.enumerated() {
            _ = try Validation.key(profile.person, field: "items[\(index)].person")
            guard profile.skills.count <= 1000 else { throw RPCError.invalidArgument("items[\(index)].skills: more than 1000") }
            rows.append((profile.person, try Store.json(profile.skills), profile.updated))
        }
        let records = rows
        try await write { db in
            try Store.requireTenant(db, tenant)
            for (person, skills, updated) in records {
                try db.run("""
                    INSERT INTO skill_profiles(tenant, person, skills, updated) VALUES(?, ?, ?, ?)
                    ON CONFLICT(tenant, person) DO UPDATE SET skills = excluded.skills, updated = excluded.updated
                    """, [.text(tenant), .text(person), skills, .date(updated)])
            }
        }
    }

    /// Every learned profile of the tenant.
    public func listProfiles(_ tenant: String) async throws -> [SkillProfile] {
        try await read { db in
            let statement = try db.prepare("SELECT person, skills, updated FROM skill_profiles WHERE tenant = ? ORDER BY person")
            try statement.bind([.text(tenant)])
            var items: [SkillProfile] = []
            while try statement.step() {
                items.append(SkillProfile(person: statement.text(0) ?? "",
                                          skills: try Store.fromJSON([String: Double].self, statement.blob(1)),
                                          updated: statement.date(2) ?? Date()))
            }
            return items
        }
    }
}
