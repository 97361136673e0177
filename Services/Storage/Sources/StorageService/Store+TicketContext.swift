import Contracts
import Foundation
import RPC

extension Store {
    /// The ticket with its project, one optional project-named setting, its stored skills and the
    /// tenant's data version, read in one read transaction; NOT_FOUND without the ticket.
    public func ticketContext(_ tenant: String, _ request: StorageContract.TicketContextRequest) async throws -> StorageContract.TicketContext {
        if let prefix = request.settingPrefix { _ = try Validation.identifier(prefix, field: "settingPrefix", maxLength: 64) }
        let epoch = self.epoch
        let found = try await read { db -> StorageContract.TicketContext? in
            try db.transaction(immediate: false) {
                let statement = try db.prepare("SELECT \(Store.ticketColumns) FROM tickets WHERE tenant = ? AND key = ?")
                try statement.bind([.text(tenant), .text(request.key)])
                guard try statement.step() else { return nil }
                let ticket = Store.ticket(statement)
                let projectRow = try db.prepare("SELECT key, name, settings FROM projects WHERE tenant = ? AND key = ?")
                try projectRow.bind([.text(tenant), .text(ticket.project)])
                let project = try projectRow.step() ? try Store.project(projectRow) : nil
                var setting: Data?
                if let prefix = request.settingPrefix {
                    let row = try db.prepare("SELECT value FROM settings WHERE tenant = ? AND key = ?")
                    try row.bind([.text(tenant), .text(prefix + ticket.project)])
                    if try row.step() { setting = Data(row.blob(0)) }
                }
                let skillsRow = try db.prepare("SELECT content_hash, skills FROM ticket_skills WHERE tenant = ? AND ticket = ?")
                try skillsRow.bind([.text(tenant), .text(ticket.key)])
                var skills: StorageContract.StoredSkills?
                if try skillsRow.step() { skills = .init(contentHash: skillsRow.text(0) ?? "", json: skillsRow.blob(1)) }
                let version = try db.scalar("SELECT version FROM data_versions WHERE tenant = ?", [.text(tenant)])?.int ?? 0
                db.resetStatements()   // before COMMIT: a statement left mid-result would keep the read open
                return .init(ticket: ticket, project: project, setting: setting, skills: skills, dataVersion: "\(epoch)-\(version)")
            }
        }
        guard let found else { throw RPCError.notFound("ticket not found") }
        return found
    }
}
