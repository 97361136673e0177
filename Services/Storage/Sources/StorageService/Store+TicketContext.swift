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
        if let prefix = request.settingPrefix { _ = try Validation.identifier(prefix, field: "settingPrefix", maxLength: 64) }
    }

    private static let ticketSQL = "SELECT \(Store.ticketColumns) FROM tickets WHERE tenant = ? AND key = ?"
    private static let projectSQL = "SELECT key, name, settings FROM projects WHERE tenant = ? AND key = ?"
    private static let settingSQL = "SELECT value FROM settings WHERE tenant = ? AND key = ?"
    private static let skillsSQL = "SELECT content_hash, skills FROM ticket_skills WHERE tenant = ? AND ticket = ?"
    private static let versionSQL = "SELECT version FROM data_versions WHERE tenant = ?"

    /// The context of `request.key` in one read transaction on `db`, or nil without the ticket.
    private static func ticketContext(_ db: Database, _ tenant: String, _ request: StorageContract.TicketContextRequest,
                                      epoch: String) throws -> StorageContract.TicketContext? {
        try db.transaction(immediate: false) {
            let statement = try db.prepare(ticketSQL)
            try statement.bind([.text(tenant), .text(request.key)])
            guard try statement.step() else { return nil }
            let ticket = Store.ticket(statement)
            let projectRow = try db.prepare(projectSQL)
            try projectRow.bind([.text(tenant), .text(ticket.project)])
            let project = try projectRow.step() ? try Store.project(projectRow) : nil
            var setting: Data?
            if let prefix = request.settingPrefix {
                let row = try db.prepare(settingSQL)
                try row.bind([.text(tenant), .text(prefix + ticket.project)])
                if try row.step() { setting = row.withBlob(0) { Data($0) } }
            }
            let skillsRow = try db.prepare(skillsSQL)
            try skillsRow.bind([.text(tenant), .text(ticket.key)])
            var skills: StorageContract.StoredSkills?
            if try skillsRow.step() { skills = .init(contentHash: skillsRow.text(0) ?? "", json: skillsRow.blob(1)) }
            let version = try db.scalar(versionSQL, [.text(tenant)])?.int ?? 0
            db.resetStatements()   // before COMMIT: a statement left mid-result would keep the read open
            return .init(ticket: ticket, project: project, setting: setting, skills: skills, dataVersion: "\(epoch)-\(version)")
        }
    }
}
