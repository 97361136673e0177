import Contracts
import Foundation
import Harness
import RPC

import Testing
import TestSupport

/// Faults under load, short enough for CI (scripts/faults runs the long version): `kill -9` of each
/// backend while requests flow, and a language model that never answers.
@Suite(.serialized) struct FaultTests {
    static let demo = HostileInputTests.demo

    /// Counts of statuses seen by one request loop.
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [Int: Int] = [:]
        func add(_ status: Int) { lock.lock(); counts[status, default: 0] += 1; lock.unlock() }
        var snapshot: [Int: Int] { lock.lock(); defer { lock.unlock() }; return counts }
    }

    /// Sends `method target` in a loop on its own thread until `running` is false.
    static func loop(port: UInt16, method: String, target: String, token: String, running: Locked<Bool>, tally: Tally) -> Task<Void, Error> {
        Task {
            try await offPool {
                while running.withLock({ $0 }) {
                    let (status, _) = try RawSocket.http(port: port, method: method, target: target, token: token, body: method == "POST" ? "{}" : "")
                    tally.add(status)
                }
            }
        }
    }

    @Test func killingEachServiceFailsOnlyWhatNeedsIt() async throws {
        let config = TemporaryDirectory(prefix: "cfg")
        defer { config.remove() }
        FileManager.default.createFile(atPath: config.file("c.json"), contents: Data("""
            {"restart": {"maxRestarts": 100, "windowSeconds": 10, "initialBackoffSeconds": 0.05, "maxBackoffSeconds": 0.5}}
            """.utf8))
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-data", Self.demo, "--config", config.file("c.json")])
        defer { system.directory.remove() }
        let port = try HostileInputTests.port(system)
        let token = try await HostileInputTests.token(system, tenant: "demo")
        var report: [String] = []
        for kind in [ServiceKind.scoring, .skills, .storage] {
            let status = try await system.status()
            let victim = try #require(status.instances.first { $0.service == kind })
            let pid = try #require(victim.pid)
            let running = Locked(true)
            let recommendations = Tally(), listings = Tally(), liveness = Tally()
            let loops = [
                Self.loop(port: port, method: "POST", target: "/api/v1/tickets/ZK-1/recommendations", token: token, running: running, tally: recommendations),
                Self.loop(port: port, method: "GET", target: "/api/v1/tickets?project=ZK&limit=5", token: token, running: running, tally: listings),
                Self.loop(port: port, method: "GET", target: "/livez", token: token, running: running, tally: liveness),
            ]
            try await Task.sleep(nanoseconds: 300_000_000)
            kill(pid, SIGKILL)
            let killed = Date()
            // Back: SERVING on a new process.
            var back: Double?
            while back == nil && Date().timeIntervalSince(killed) < 60 {
                if let now = try? await system.status(timeout: 1), let instance = now.instances.first(where: { $0.service == kind }),
                   instance.health == "SERVING", let newPid = instance.pid, newPid != pid {
                    back = Date().timeIntervalSince(killed)
                }
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            try await Task.sleep(nanoseconds: 300_000_000)
            running.withLock { $0 = false }
            for loop in loops { try await loop.value }
            #expect(back != nil, "\(kind) came back")
            // Requests that needed the dead service failed with 503, never a hang, a 500 or a 504;
            // the ones that did not need it kept working.
            for (name, tally) in [("recommendations", recommendations), ("listings", listings)] {
                #expect(Set(tally.snapshot.keys).isSubset(of: [200, 503]), "\(kind) \(name): \(tally.snapshot)")
                #expect((tally.snapshot[200] ?? 0) > 0, "\(kind) \(name): \(tally.snapshot)")
            }
            #expect(liveness.snapshot.keys.sorted() == [200], "\(kind) livez: \(liveness.snapshot)")
            if kind != .storage {
                #expect(listings.snapshot[503] == nil, "listing tickets needs only storage: \(listings.snapshot)")
            }
            if kind == .skills {
                #expect(recommendations.snapshot[503] == nil, "without skills recommendations degrade, not fail: \(recommendations.snapshot)")
            }
            report.append("\(kind.rawValue): back in \(String(format: "%.2f", back ?? -1)) s, recommendations \(recommendations.snapshot.sorted { $0.key < $1.key }), listings \(listings.snapshot.sorted { $0.key < $1.key })")
        }
        let restarts = try await system.status().instances.map(\.restarts).reduce(0, +)
        #expect(restarts == 3)
        print("kill -9 under load: " + report.joined(separator: "; ") + "; restarts \(restarts)")
        await system.stop()
    }

    @Test func aStalledModelNeverExhaustsTheGateway() async throws {
        let model = try FakeHTTPServer()
        defer { model.stop() }
        // The model accepts connections and never answers within anyone's patience.
        model.setFallback { _ in .init(status: 200, body: "{}", delay: 3600) }
        let config = TemporaryDirectory(prefix: "cfg")
        defer { config.remove() }
        FileManager.default.createFile(atPath: config.file("c.json"), contents: Data("""
            {"skills": {"model": {"baseURL": "\(model.baseURL)/v1", "timeoutSeconds": 1}}}
            """.utf8))
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-data", Self.demo, "--config", config.file("c.json")],
                                             environment: ["OPENAI_API_KEY": "sk-test-stalled"])
        defer { system.directory.remove() }
        let port = try HostileInputTests.port(system)
        let token = try await HostileInputTests.token(system, tenant: "demo")
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<40 {
                group.addTask {
                    try await offPool {
                        try RawSocket.http(port: port, method: "POST", target: "/api/v1/tickets/ZK-\(index + 1)/recommendations", token: token, body: "{}").status
                    }
                }
            }
            var all: [Int] = []
            for try await status in group { all.append(status) }
            return all
        }
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
        // The gateway itself stayed live throughout; readiness needs every backend to answer its
        // health check within 1 s, which a skills service still draining model timeouts on a loaded
        // machine can miss for a while: it must come back.
        let (live, _) = try await offPool { try RawSocket.http(port: port, method: "GET", target: "/livez", token: nil) }
        #expect(live == 200)
        // Readiness needs every backend to answer its health check within 1 s: the skills service must
        // come back once the stalled model calls have timed out.
        let readyWait = Date()
        var (ready, readyBody) = try await offPool { try RawSocket.http(port: port, method: "GET", target: "/readyz", token: nil) }
        for _ in 0..<8 where ready != 200 {
            try await Task.sleep(nanoseconds: 250_000_000)
            (ready, readyBody) = try await offPool { try RawSocket.http(port: port, method: "GET", target: "/readyz", token: nil) }
        }
        // Timed-out model calls must not wedge the skills service (URLSession tasks are cancelled off the
        // concurrency pool: OutboundCall).
        #expect(ready == 200, "\(readyBody)")
        #expect(!model.requests.isEmpty, "the model was asked")
        print("stalled model: 40 concurrent recommendations answered \(Dictionary(grouping: statuses) { $0 }.mapValues(\.count)), model asked \(model.requests.count) times, readyz \(ready) after \(String(format: "%.1f", Date().timeIntervalSince(readyWait))) s")
        await system.stop()
    }
}
