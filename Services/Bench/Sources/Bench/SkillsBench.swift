import Contracts
import Foundation
import Posix
import RPC
import SkillsCore
import Synchronization

/// Skill detection of 1 KB tickets: the local detector in-process, and through a real skills
/// process (with its storage process, as in production) over its socket.
enum SkillsBench {
    static func run(binDir: String, history: String, seconds: Double, emit: (BenchResult) -> Void) async throws {
        let tickets = try sampleTickets(history: history, count: 2000)
        let meanBytes = tickets.reduce(0) { $0 + $1.title.utf8.count + $1.description.utf8.count } / max(1, tickets.count)

        let detector = SkillDetector(taxonomy: try SkillTaxonomy.bundled())
        var detected = 0
        var count = 0
        let deadline = Monotonic.nanoseconds() + UInt64(seconds * 1e9)
        let started = Monotonic.nanoseconds()
        let cpuStarted = threadCPUNanoseconds()
        while Monotonic.nanoseconds() < deadline {
            let ticket = tickets[count % tickets.count]
            detected += detector.detect(title: ticket.title, description: ticket.description, components: ticket.components).count
            count += 1
        }
        let elapsed = Double(Monotonic.nanoseconds() - started) / 1e9
        let cpu = Double(threadCPUNanoseconds() - cpuStarted) / 1e9
        emit(BenchResult(name: "skills.detect.inprocess", ops_per_s: Double(count) / elapsed,
                         note: String(format: "one core, %d B tickets on average, %.1f skills per ticket; %.0f per CPU-second",
                                       meanBytes, Double(detected) / Double(max(1, count)), Double(count) / max(cpu, 1e-9))))

        emit(learnedDetection(detector: detector, tickets: tickets, seconds: seconds))

        let system = try BenchServices(binDir: binDir, kinds: ["storage", "skills"], label: "kbench")
        defer { system.stop() }
        let client = SkillsClient(service: "skills", socketPaths: [system.socket("skills")], defaultTimeout: 30)
        defer { client.close() }
        let metadata = Metadata(tenant: "bench")
        _ = try await client.call(SkillsContract.detect, tickets[0], metadata: metadata, timeout: 30)
        let next = Counter()
        let call: @Sendable () async throws -> Void = {
            _ = try await client.call(SkillsContract.detect, tickets[next.next() % tickets.count], metadata: metadata)
        }
        let processes = [getpid()] + system.processIDs
        let calls = Counter()
        let counted: @Sendable () async throws -> Void = {
            _ = calls.next()
            try await call()
        }
        for run in [1, 16] {
            let cpuBefore = processes.reduce(0) { $0 + ProcessCPU.microseconds($1) }
            let callsBefore = calls.current
            var result = run == 1
                ? try await Load.sequential(name: "skills.detect.1", iterations: 5000, counted)
                : try await Load.concurrent(name: "skills.detect.16", concurrency: 16, seconds: seconds, counted)
            let cpu = Double(processes.reduce(0) { $0 + ProcessCPU.microseconds($1) } - cpuBefore)
            let perCall = cpu / Double(max(1, calls.current - callsBefore))
            result.note = [result.note, String(format: "%.0f us CPU per call, client, skills and storage", perCall)].compactMap { $0 }.joined(separator: "; ")
            emit(result)
        }
    }

    /// Detection with learned skills merged in, after learning the tickets themselves, on one core.
    private static func learnedDetection(detector: SkillDetector, tickets: [SkillsContract.DetectRequest], seconds: Double) -> BenchResult {
        let learned = LearnedSkills()
        for ticket in tickets {
            learned.learn(title: ticket.title, description: ticket.description, components: ticket.components, labels: ticket.labels)
        }
        var count = 0
        let deadline = Monotonic.nanoseconds() + UInt64(seconds * 1e9)
        let started = Monotonic.nanoseconds()
        let cpuStarted = threadCPUNanoseconds()
        while Monotonic.nanoseconds() < deadline {
            let ticket = tickets[count % tickets.count]
            _ = detector.detect(title: ticket.title, description: ticket.description, components: ticket.components, learned: learned)
            count += 1
        }
        let elapsed = Double(Monotonic.nanoseconds() - started) / 1e9
        let cpu = Double(threadCPUNanoseconds() - cpuStarted) / 1e9
        return BenchResult(name: "skills.detect.learned", ops_per_s: Double(count) / elapsed,
                           note: String(format: "one core, with %d learned tickets; %.0f per CPU-second", tickets.count, Double(count) / max(cpu, 1e-9)))
    }

    /// Tickets of the history with title + description cut or repeated to about 1 KB.
    private static func sampleTickets(history: String, count: Int) throws -> [SkillsContract.DetectRequest] {
        let records = try HistoryReader.read(path: history).compactMap { try? $0.result.get() }
        guard !records.isEmpty else { throw BenchError("no tickets in \(history)") }
        return records.prefix(count).map { record in
            var description = record.description.isEmpty ? record.title : record.description
            while description.utf8.count < 1024 - record.title.utf8.count { description += "\n" + description }
            let budget = max(0, 1024 - record.title.utf8.count)
            description = String(decoding: description.utf8.prefix(budget), as: UTF8.self)
            return SkillsContract.DetectRequest(title: record.title, description: description, components: record.components,
                                                labels: record.labels, useModel: false)
        }
    }
}

/// A thread-safe round-robin index.
private final class Counter: Sendable {
    private let value = Mutex(0)

    func next() -> Int {
        value.withLock { value in
            value &+= 1
            return value
        }
    }

    /// How many times `next()` was called.
    var current: Int { value.withLock { $0 } }
}
