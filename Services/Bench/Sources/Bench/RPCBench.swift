import Contracts
import Foundation
import Harness
import Model
import Posix
import RPC
import Wire

/// Echo through a real service process over its socket, and the codecs in-process.
enum RPCBench {
    /// Starts `smart-ticket-skills` on a private socket and measures echo round trips.
    /// With `existingSocket`, talks to a server already running there instead of starting one.
    static func echo(binDir: String, iterations: Int, seconds: Double, existingSocket: String? = nil) async throws -> [BenchResult] {
        let system = existingSocket == nil ? try BenchServices(binDir: binDir, kinds: ["skills"], label: "bench") : nil
        defer { system?.stop() }
        let socket = existingSocket ?? system!.socket("skills")
        let pid = system?.processIDs.first
        let client = RPCClient(service: "skills", socketPaths: [socket], connectionsPerInstance: 2, blockingCallers: .waitInPlace)
        defer { client.close() }
        _ = try await client.call(StandardMethods.health, HealthCheckRequest(), timeout: 30)
        let message = EchoMessage.sample()

        let server = pid ?? 0
        // As the gateway calls: from an HTTP connection thread, which may block (a direct connection).
        let one = try await onBlockingThread {
            try await sequential(client: client, message: message, iterations: iterations, server: server, name: "rpc.echo.1",
                                 note: "1 in flight, caller on a thread that may block as the gateway's HTTP threads, codec \(defaultMessageCodec.name)")
        }
        // From a task on the cooperative pool (a multiplexed connection, answered by its reader thread).
        let task = try await sequential(client: client, message: message, iterations: iterations, server: server, name: "rpc.echo.1.task",
                                        note: "1 in flight, caller on the cooperative pool")

        let deadline = Monotonic.nanoseconds() + UInt64(seconds * 1e9)
        let started = Monotonic.nanoseconds()
        let cpuStarted = ProcessCPU.microseconds(getpid()) + ProcessCPU.microseconds(server)
        let (count, all) = try await withThrowingTaskGroup(of: (Int, [Double]).self) { group in
            for _ in 0..<16 {
                group.addTask {
                    var done = 0
                    var local = LatencySamples()
                    while Monotonic.nanoseconds() < deadline {
                        let start = Monotonic.nanoseconds()
                        _ = try await client.call(StandardMethods.echo, message)
                        local.add(Double(Monotonic.nanoseconds() - start) / 1000)
                        done += 1
                    }
                    return (done, local.values)
                }
            }
            var total = 0
            var all = LatencySamples()
            for try await (done, values) in group {
                total += done
                for value in values { all.add(value) }
            }
            return (total, all)
        }
        let elapsed = Double(Monotonic.nanoseconds() - started) / 1e9
        let cpuSixteen = Double(ProcessCPU.microseconds(getpid()) + ProcessCPU.microseconds(server) - cpuStarted) / Double(max(1, count))
        let sixteen = BenchResult(name: "rpc.echo.16", p50_us: all.percentile(50), p99_us: all.percentile(99),
                                  ops_per_s: Double(count) / elapsed,
                                  note: String(format: "16 in flight; %.0f us CPU per call, client and server", cpuSixteen))
        return [one, task, sixteen]
    }

    /// Round trips of `message` one at a time (the first tenth is warm-up), with the CPU used by
    /// this process and the server per call.
    static func sequential(client: RPCClient, message: EchoMessage, iterations: Int, server: pid_t, name: String, note: String) async throws -> BenchResult {
        var samples = LatencySamples()
        let cpuBefore = ProcessCPU.microseconds(getpid()) + ProcessCPU.microseconds(server)
        let threadBefore = threadCPUNanoseconds()
        for iteration in 0..<(iterations + iterations / 10) {
            let start = Monotonic.nanoseconds()
            _ = try await client.call(StandardMethods.echo, message)
            if iteration >= iterations / 10 { samples.add(Double(Monotonic.nanoseconds() - start) / 1000) }
        }
        let calls = Double(iterations + iterations / 10)
        let cpu = Double(ProcessCPU.microseconds(getpid()) + ProcessCPU.microseconds(server) - cpuBefore) / calls
        var figures = String(format: "%@; %.0f us CPU per call, client and server", note, cpu)
        if BlockingThread.isCurrent {
            // The client's own CPU: a direct call runs on this thread (a task may move between threads).
            figures += String(format: "; %.1f us on the calling thread", Double(threadCPUNanoseconds() - threadBefore) / 1000 / calls)
        }
        return BenchResult(name: name, p50_us: samples.percentile(50), p99_us: samples.percentile(99), ops_per_s: 1e6 / samples.percentile(50), note: figures)
    }

    /// Encode + decode pairs per second of the echo message in an envelope, for each codec, and of a
    /// Decision with 20 candidates; with `only`, just the figure of that name.
    static func codecs(seconds: Double, only: String? = nil) throws -> [BenchResult] {
        var results: [BenchResult] = []
        let message = EchoMessage.sample()
        let codecs = availableCodecs + [CodableBinaryCodec()]
        func skip(_ name: String) -> Bool { only.map { $0 != name } ?? false }
        for codec in codecs where !skip("codec.\(codec.name)") {
            var size = 0
            let run = try timed(seconds: seconds, batch: 100) {
                var body: [UInt8] = []
                try codec.encode(message, appendingTo: &body)
                var frame: [UInt8] = []
                EnvelopeFormat.append(Envelope(kind: .request, id: 7, method: "diagnostics.v1/Echo", timeoutMicroseconds: 1_000_000,
                                               metadata: Metadata(tenant: "acme", traceID: "0af7651916cd43dd"), body: body), to: &frame)
                guard let envelope = EnvelopeFormat.decode(frame) else { throw BenchError("envelope did not decode") }
                _ = try codec.decode(EchoMessage.self, from: envelope.body)
                size = frame.count
            }
            results.append(BenchResult(name: "codec.\(codec.name)", ops_per_s: Double(run.count) / run.elapsed,
                                       note: String(format: "encode+decode of a %d B enveloped message; %.0f per CPU-second", size, Double(run.count) / max(run.cpu, 1e-9))))
        }
        let decision = sampleDecision(candidates: 20)
        for codec in codecs where !skip("codec.\(codec.name).decision") {
            var size = 0
            let run = try timed(seconds: seconds, batch: 10) {
                var body: [UInt8] = []
                try codec.encode(decision, appendingTo: &body)
                _ = try codec.decode(Decision.self, from: body)
                size = body.count
            }
            results.append(BenchResult(name: "codec.\(codec.name).decision", ops_per_s: Double(run.count) / run.elapsed,
                                       note: String(format: "encode+decode of a %d B Decision with 20 candidates; %.0f per CPU-second, %.1f us CPU each",
                                                    size, Double(run.count) / max(run.cpu, 1e-9), 1e6 * run.cpu / Double(max(run.count, 1)))))
        }
        let recommendation = try sampleRecommendation()
        for codec in codecs where !skip("codec.\(codec.name).recommendation") {
            var size = 0
            let run = try timed(seconds: seconds, batch: 10) { size = try recommendationPair(codec, recommendation) }
            results.append(BenchResult(name: "codec.\(codec.name).recommendation", ops_per_s: Double(run.count) / run.elapsed,
                                       note: String(format: "encode+decode of the 8 messages (%d B) of one recommendation; %.1f us CPU each",
                                                    size, 1e6 * run.cpu / Double(max(run.count, 1)))))
        }
        return results
    }

    /// Runs `pair` in batches of `batch` until `seconds` have passed: how many ran, the wall-clock seconds and
    /// this thread's CPU seconds.
    static func timed(seconds: Double, batch: Int, _ pair: () throws -> Void) rethrows -> (count: Int, elapsed: Double, cpu: Double) {
        var count = 0
        let start = Monotonic.nanoseconds()
        let deadline = start + UInt64(seconds * 1e9)
        let cpuStart = threadCPUNanoseconds()
        while Monotonic.nanoseconds() < deadline {
            for _ in 0..<batch { try pair() }
            count += batch
        }
        return (count, Double(Monotonic.nanoseconds() - start) / 1e9, Double(threadCPUNanoseconds() - cpuStart) / 1e9)
    }

    /// A Decision as scoring writes it: 20 ranked candidates, each with every factor and a few reasons.
    static func sampleDecision(candidates: Int) -> Decision {
        let factors = ScoringFactor.allCases.map(\.rawValue)
        let ranked = (0..<candidates).map { index -> RankedCandidate in
            var byName: [String: RankedCandidate.Factor] = [:]
            for (position, name) in factors.enumerated() {
                let value = Double((index * 7 + position * 13) % 100) / 100
                let weight = 0.05 * Double(position + 1)
                byName[name] = .init(value: value, weight: weight, contribution: (value * weight * 1e4).rounded() / 1e4)
            }
            return RankedCandidate(
                person: "person-\(1000 + index)", score: 1 - Double(index) / Double(candidates * 2), factors: byName,
                reasons: ["resolved \(12 - index % 12) similar tickets", "has worked with zookeeper, quorum, persistence", "\(index % 5) open tickets"])
        }
        return Decision(id: 4242, ticket: "ZOOKEEPER-4512", project: "ZOOKEEPER", mode: .suggested, chosen: ranked.first?.person,
                        candidates: ranked, actor: "system", at: Date(timeIntervalSince1970: 1_700_000_000), reason: "top score")
    }
}

/// CPU time used by the calling thread: on a shared machine, a steadier measure than wall time.
func threadCPUNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// CPU time (user + system) of a process so far, from /proc; 0 if unknown (pid 0, no /proc).
enum ProcessCPU {
    static func microseconds(_ pid: pid_t) -> UInt64 {
        guard pid > 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        // Fields after the command name: state is field 3, utime 14 and stime 15 (in clock ticks).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = UInt64(fields[11]), let system = UInt64(fields[12]) else { return 0 }
        let ticks = UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))
        return (user + system) * 1_000_000 / ticks
    }
}
