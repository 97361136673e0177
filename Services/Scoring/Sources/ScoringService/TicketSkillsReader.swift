import Contracts
import Foundation
import Model
import Observability
import RPC

/// Reads the skills of resolved tickets from the skills service (``SkillsContract/ticketSkills``), which owns
/// detection: what the history model learns people's skills from. Asked in batches that fit a frame. A skills service
/// that cannot answer costs only that evidence: the tickets are learned by their components, labels and text, and a
/// warning says so.
struct TicketSkillsReader: Sendable {
    let skills: SkillsClient?
    let logger: Logger

    /// At most this much ticket text per call (the default frame holds 4 MiB).
    static let batchBytes = 1 << 20

    /// The skills of `tickets` by ticket key; empty when the skills service is not there or fails.
    func skills(of tickets: [Ticket], tenant: String) async -> [String: [DetectedSkill]] {
        guard let skills, !tickets.isEmpty else { return [:] }
        var result: [String: [DetectedSkill]] = [:]
        result.reserveCapacity(tickets.count)
        do {
            for batch in Self.batches(tickets) {
                let response = try await skills.call(SkillsContract.ticketSkills, .init(tickets: Array(batch)),
                                                     metadata: Metadata(tenant: tenant, principal: "scoring"))
                for (ticket, detected) in zip(batch, response.skills) { result[ticket.key] = detected }
            }
        } catch {
            logger.warning("ticket skills unavailable: people's detected skills are not learned from these tickets",
                           ["tickets": .int(tickets.count), "error": .string(String(describing: error))])
            return [:]
        }
        return result
    }

    /// `tickets` in order, cut into batches of at most ``SkillsContract/TicketSkillsRequest/maxTickets`` tickets and about
    /// ``batchBytes`` of text (a longer ticket goes alone).
    static func batches(_ tickets: [Ticket]) -> [ArraySlice<Ticket>] {
        var batches: [ArraySlice<Ticket>] = []
        var start = 0, bytes = 0
        for (index, ticket) in tickets.enumerated() {
            let size = ticket.title.utf8.count + ticket.description.utf8.count + 256
            if index > start, index - start == SkillsContract.TicketSkillsRequest.maxTickets || bytes + size > batchBytes {
                batches.append(tickets[start..<index])
                start = index
                bytes = 0
            }
            bytes += size
        }
        if start < tickets.count { batches.append(tickets[start...]) }
        return batches
    }
}
