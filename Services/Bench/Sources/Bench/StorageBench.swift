import Contracts
import Foundation
import Posix
import RPC
import Synchronization
import Workflows

/// Import, point reads, paged listing and the two calls of every recommendation (`GetTicketContext`,
/// `AppendDecisionRecord`) through a real storage process, with the storage process's CPU per call.
enum StorageBench {
    static func run(binDir: String, history: String, seconds: Double, emit: (BenchResult) -> Void) async throws {
        let system = try BenchServices(binDir: binDir, kinds: ["storage"], label: "sbench")
        defer { system.stop() }
        let socket = system.socket("storage")
        let server = system.processIDs[0]
        let client = StorageClient(service: "storage", socketPaths: [socket], defaultTimeout: 120)
        defer { client.close() }
        _ = try await client.rpc.call(StandardMethods.health, HealthCheckRequest(), timeout: 30)

        let parseStart = Monotonic.nanoseconds()
        let lines = try HistoryReader.read(path: history)
        let parseSeconds = Double(Monotonic.nanoseconds() - parseStart) / 1e9
        let importStart = Monotonic.nanoseconds()
        let summary = try await HistoryImporter(storage: client, tenant: "bench").run(lines)
        let importSeconds = Double(Monotonic.nanoseconds() - importStart) / 1e9
        emit(BenchResult(name: "storage.import", ops_per_s: Double(summary.created) / importSeconds,
                         note: String(format: "%d tickets in %.2f s through RPC, + %.2f s parsing the file", summary.created, importSeconds, parseSeconds)))
        let reimportStart = Monotonic.nanoseconds()
        let again = try await HistoryImporter(storage: client, tenant: "bench").run(lines)
        let reimportSeconds = Double(Monotonic.nanoseconds() - reimportStart) / 1e9
        emit(BenchResult(name: "storage.reimport", ops_per_s: Double(again.unchanged) / reimportSeconds,
                         note: String(format: "%d unchanged in %.2f s", again.unchanged, reimportSeconds)))

        let tickets = lines.compactMap { try? $0.result.get() }
        let keys = tickets.map(\.key)
        let metadata = Metadata(tenant: "bench")
        let read: @Sendable () async throws -> Void = {
            _ = try await client.call(StorageContract.getTicket, .init(keys.randomElement()!), metadata: metadata)
        }
        let page: @Sendable () async throws -> Void = {
            let cursor = Int64.random(in: 0..<Int64(max(1, keys.count - 100)))
            _ = try await client.call(StorageContract.listTickets,
                                      .init(project: "NUMPY", cursor: Data("v1:\(cursor)".utf8).base64EncodedString(), limit: 50),
                                      metadata: metadata)
        }

        // As a recommendation finds them: skills stored for the ticket (the gateway stores them on the
        // first recommendation), and a decision of 10 ranked candidates as the gateway writes it.
        let sample = Array(tickets.suffix(500))
        for ticket in sample {
            _ = try await client.call(StorageContract.putTicketSkills, .init(ticket: ticket.key, skills: sampleSkills,
                                                                           contentHash: "bench-\(ticket.key)"), metadata: metadata)
        }
        let sampleKeys = sample.map(\.key)
        let people = Array(Set(tickets.compactMap(\.assignee))).sorted()
        let records = try sample.prefix(50).map { try decisionRecord($0, people: people) }
        let context: @Sendable () async throws -> Void = {
            _ = try await client.call(StorageContract.getTicketContext, .init(key: sampleKeys.randomElement()!), metadata: metadata)
        }
        let append: @Sendable () async throws -> Void = {
            var record = records.randomElement()!
            record.at = Date()
            _ = try await client.call(StorageContract.appendDecisionRecord, record, metadata: metadata)
        }
        emit(BenchResult(name: "storage.decision.size", note: "\(records[0].candidatesJSON.count) B of candidates JSON, 10 candidates"))

        for (name, call) in [("storage.get", read), ("storage.list50", page), ("storage.ticketcontext", context),
                             ("storage.appenddecision", append)] {
            emit(try await withServerCPU(server, call) { try await Load.sequential(name: "\(name).1", iterations: 3000, $0) })
            emit(try await withServerCPU(server, call) { try await Load.concurrent(name: "\(name).16", concurrency: 16, seconds: seconds, $0) })
        }
    }

    /// What `measure` reports about `call`, with the storage process's CPU per call (from /proc, so
    /// coarse for short runs) added to its note.
    static func withServerCPU(_ server: pid_t, _ call: @escaping @Sendable () async throws -> Void,
                              _ measure: (@escaping @Sendable () async throws -> Void) async throws -> BenchResult) async throws -> BenchResult {
        let calls = CallCounter()
        let before = ProcessCPU.microseconds(server)
        var result = try await measure {
            try await call()
            calls.value.add(1, ordering: .relaxed)
        }
        let perCall = Double(ProcessCPU.microseconds(server) - before) / Double(max(1, calls.value.load(ordering: .relaxed)))
        let text = String(format: "%.0f us storage CPU per call", perCall)
        result.note = result.note.map { "\($0); \(text)" } ?? text
        return result
    }

    static let sampleSkills = [
        DetectedSkill(name: "python", weight: 0.8, source: .taxonomy, evidence: ["python", "pyobject"]),
        DetectedSkill(name: "c", weight: 0.6, source: .taxonomy, evidence: ["segfault"]),
        DetectedSkill(name: "component:numpy.core", weight: 0.5, source: .learned, evidence: ["numpy.core"]),
    ]

    /// A suggested decision for `ticket` with 10 candidates scored on every factor, with reasons.
    static func decisionRecord(_ ticket: HistoryRecord, people: [String]) throws -> StorageContract.DecisionRecord {
        let candidates = (0..<10).map { rank -> RankedCandidate in
            var factors: [String: RankedCandidate.Factor] = [:]
            for (index, factor) in ScoringFactor.allCases.enumerated() {
                let value = Double((rank * 7 + index * 13) % 100) / 100
                let weight = ScoringFactor.defaultWeights[factor.rawValue] ?? 0.5
                factors[factor.rawValue] = .init(value: value, weight: weight, contribution: value * weight / 3)
            }
            return RankedCandidate(person: people.isEmpty ? "person-\(rank)" : people[(rank * 31) % people.count],
                                   score: 0.9 - Double(rank) * 0.07, factors: factors,
                                   reasons: ["resolved \(12 - rank) similar tickets", "has worked with python, c, numpy.core",
                                             "\(rank + 1) open tickets"])
        }
        return try StorageContract.DecisionRecord(Decision(
            ticket: ticket.key, project: ticket.project, mode: .suggested, chosen: candidates[0].person, previous: ticket.assignee,
            candidates: candidates, actor: "bench-user", reason: "clear winner"))
    }
}

/// Calls made, counted from many tasks.
final class CallCounter: Sendable {
    let value = Atomic<Int>(0)
}
