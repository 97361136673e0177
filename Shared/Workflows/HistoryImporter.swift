// Workflows: what a caller does with several services in turn, over their contracts. The history import lives
// here, not in Contracts (which holds only what services agree on) and not in one service, because the CLI's
// `import`, the gateway's import route, the bench and the integration tests all run it.
import Contracts
import Foundation
import Model
import RPC

/// Sends parsed ticket-history lines to storage in batches: creates the tenant if missing, the
/// projects the tickets name, and a person for every assignee not known yet.
public struct HistoryImporter: Sendable {
    /// What an import did.
    public struct Summary: Sendable, Equatable {
        public var created = 0
        public var updated = 0
        public var unchanged = 0
        /// Lines that were skipped, with the reason naming the field.
        public var rejected: [HistoryReader.LineError] = []
        /// Lines imported as they are that look wrong (resolved before created, done without an assignee).
        public var warnings: [HistoryReader.LineError] = []
    }

    public let storage: StorageClient
    public let tenant: String
    /// The scoring service, told about resolved tickets so it learns without a restart.
    public let scoring: ScoringClient?
    /// The skills service, told about resolved tickets so its learned vocabulary has them at once.
    public let skills: SkillsClient?

    public init(storage: StorageClient, tenant: String, scoring: ScoringClient? = nil, skills: SkillsClient? = nil) {
        self.storage = storage
        self.tenant = tenant
        self.scoring = scoring
        self.skills = skills
    }

    /// Imports `lines`, calling `progress` with the number of lines handled so far.
    public func run(_ lines: [HistoryReader.Line], batchSize: Int = 1000,
                    progress: @Sendable (Int) -> Void = { _ in }) async throws -> Summary {
        let metadata = Metadata(tenant: tenant, principal: "import")
        do {
            _ = try await storage.call(StorageContract.getTenant, .init(), metadata: metadata)
        } catch let error as RPCError where error.code == .notFound {
            _ = try await storage.call(StorageContract.putTenant, .init(name: tenant), metadata: metadata)
        }
        var summary = Summary()
        var handled = 0
        var knownPeople = Set<String>()
        // A key's first line is imported and its later lines rejected, in whichever batch they fall (storage rejects
        // a key repeated within one call; across calls the later line would overwrite the earlier one).
        var firstLine: [String: Int] = [:]
        for chunk in stride(from: 0, to: lines.count, by: batchSize) {
            let slice = lines[chunk..<min(lines.count, chunk + batchSize)]
            var tickets: [Ticket] = []
            var positions: [Int] = []
            var people: [Person] = []
            for line in slice {
                switch line.result {
                case .success(let record):
                    if let first = firstLine[record.key] {
                        summary.rejected.append(.init(line: line.number, reason: "key: \(record.key.prefix(100)) already appears on line \(first); each ticket once per file (the first is kept)"))
                        continue
                    }
                    firstLine[record.key] = line.number
                    summary.warnings += Self.warnings(record, line: line.number)
                    tickets.append(record.ticket)
                    positions.append(line.number)
                    if let assignee = record.assignee, !assignee.isEmpty, knownPeople.insert(assignee).inserted {
                        people.append(Person(id: assignee, displayName: assignee))
                    }
                case .failure(let error):
                    summary.rejected.append(error)
                }
            }
            if !tickets.isEmpty {
                let response = try await storage.call(
                    StorageContract.putTickets, .init(tickets: tickets, positions: positions, createMissingProjects: true),
                    metadata: metadata)
                summary.created += response.created
                summary.updated += response.updated
                summary.unchanged += response.unchanged
                summary.rejected += response.rejects.map { HistoryReader.LineError(line: $0.position, reason: $0.reason) }
                if scoring != nil || skills != nil {
                    // Every instance learns the batch's resolved tickets before the next batch (or the answer).
                    let rejected = Set(response.rejects.compactMap(\.key))
                    // Done tickets only, as scoring loads them from storage (an open ticket with a resolved date is not history).
                    let resolved = tickets.filter { $0.status == .done && $0.resolved != nil && !rejected.contains($0.key) }
                    try? await TenantLearning(scoring: scoring, skills: skills).learn(resolved, metadata: metadata)
                }
            }
            if !people.isEmpty {
                _ = try await storage.call(StorageContract.putPeople, .init(people: people, onlyIfMissing: true), metadata: metadata)
            }
            handled += slice.count
            progress(handled)
        }
        summary.rejected.sort { $0.line < $1.line }
        return summary
    }

    /// What looks wrong in a record that is still imported.
    static func warnings(_ record: HistoryRecord, line: Int) -> [HistoryReader.LineError] {
        var warnings: [HistoryReader.LineError] = []
        if let resolved = record.resolved, resolved < record.created {
            warnings.append(.init(line: line, reason: "resolved is before created: check both dates and their offsets"))
        }
        if record.ticket.status == .done, record.assignee?.isEmpty ?? true {
            warnings.append(.init(line: line, reason: "done without an assignee: nobody learns from this ticket"))
        }
        return warnings
    }
}
