import Contracts
import Foundation
import RPC

extension Store {
    /// The ticket with its project, one optional project-named setting, its stored skills and the
    /// tenant's data version, read in one read transaction; NOT_FOUND without the ticket. Runs on a
    /// reader thread (for callers on the cooperative pool).
    public func ticketContext(_ tenant: String, _ request: StorageContract.TicketContextRequest) async throws -> StorageContract.TicketContext {
        try Store.validate(request)
        let epoch = self.epoch
        let found = try await read { db in try Store.ticketContext(db, tenant, request, epoch: epoch) }
        guard let found else { throw RPCError.notFound("ticket not found") }
        return found
    }

    /// ``ticketContext(_:_:)`` read on the calling thread through a lent connection: for the RPC
    /// handler, which the server runs on its connection's thread (a point read of five rows costs
    /// less than handing it to a reader thread and back). Not for the cooperative pool.
    public func ticketContextOnCallingThread(_ tenant: String, _ request: StorageContract.TicketContextRequest) throws -> StorageContract.TicketContext {
        try Store.validate(request)
        let found = try readOnCallingThread { db in try Store.ticketContext(db, tenant, request, epoch: epoch) }
        guard let found else { throw RPCError.notFound("ticket not found") }
        return found
    }

    private static func validate(_ request: StorageContract.TicketContextRequest) throws {
        _ = try Validation.key(request.key, field: "key")
        if let prefix = request.settingPrefix { _ = try Validation.identifier(prefix, field: "settingPrefix", maxLength: 64) }
    }

    /// The ticket and everything read with it, in one statement (so one consistent snapshot without
    /// BEGIN and COMMIT, and one step instead of five): ?1 tenant, ?2 ticket key, ?3 the setting's
    /// prefix or NULL (cast, so that PostgreSQL knows its type when it is NULL).
    private static let contextSQL = """
        SELECT \(Store.ticketColumns.split(separator: ",").map { "t." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")),
               p.key, p.name, p.settings, s.value, k.content_hash, k.skills, v.version, v.generation
        FROM tickets t
        LEFT JOIN projects p ON p.tenant = t.tenant AND p.key = t.project
        LEFT JOIN settings s ON CAST(?3 AS TEXT) IS NOT NULL AND s.tenant = t.tenant AND s.key = ?3 || t.project
        LEFT JOIN ticket_skills k ON k.tenant = t.tenant AND k.ticket = t.key
        LEFT JOIN data_versions v ON v.tenant = t.tenant
        WHERE t.tenant = ?1 AND t.key = ?2
        """

    /// The context of `request.key` read on `db`, or nil without the ticket.
    private static func ticketContext(_ db: Database, _ tenant: String, _ request: StorageContract.TicketContextRequest,
                                      epoch: String) throws -> StorageContract.TicketContext? {
        let row = try db.prepare(contextSQL)
        try row.bind([.text(tenant), .text(request.key), .optional(request.settingPrefix)])
        guard try row.step() else { return nil }
        let ticket = Store.ticket(row)
        let next = Store.ticketColumnCount   // the columns after the ticket's
        let project = row.isNull(next) ? nil : Project(key: row.text(next) ?? "", name: row.text(next + 1) ?? "",
                                                        settings: try row.withBlob(next + 2) { try settingsCache.decode($0) })
        let setting = row.isNull(next + 3) ? nil : row.withBlob(next + 3) { Data($0) }
        let skills = row.isNull(next + 4) ? nil : StorageContract.StoredSkills(contentHash: row.text(next + 4) ?? "", json: row.blob(next + 5))
        let version = row.int(next + 6)   // 0 when the tenant has no version yet
        let generation = row.int(next + 7)
        db.resetStatements()   // ends the statement's read transaction
        return .init(ticket: ticket, project: project, setting: setting, skills: skills,
                     dataVersion: Store.dataVersion(epoch: epoch, generation: generation, counter: version))
    }
}
