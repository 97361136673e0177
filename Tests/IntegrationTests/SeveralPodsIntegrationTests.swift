import Foundation
import Harness
import Testing

/// Several pods, one truth: two complete systems (each a launcher with its services on its own sockets) share one
/// PostgreSQL. What one writes, the other serves at once; its rankings learn the other's resolutions without a
/// restart; a pod is not ready while it cannot reach the database, and ready again when it can.
@Suite(.serialized) struct SeveralPodsIntegrationTests {
    static let secret = "several-pods-shared-signing-key-0123456789"

    func environment(_ server: PostgresServer, database: String) -> [String: String] {
        ["SMART_TICKET_STORAGE_POSTGRES_URL": server.url(database: database),
         "SMART_TICKET_STORAGE_POSTGRES_PASSWORD_FILE": server.passwordFile,
         "SMART_TICKET_JWT_SECRET": Self.secret]
    }

    func token(_ system: RunningSystem, role: String = "admin") async throws -> String {
        let result = try await ProcessRunner.run(Executables.path("smart-ticket"), [
            "token", "create", "--data-dir", system.directory.file("data"), "--tenant", "acme", "--subject", "ada", "--role", role, "--ttl", "1h"],
            environment: ["SMART_TICKET_JWT_SECRET": Self.secret])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func firstCandidate(_ ranking: [String: Any]) -> String? {
        ((ranking["candidates"] as? [[String: Any]])?.first?["person"] as? [String: Any])?["id"] as? String
    }

    @Test func whatOnePodWritesTheOtherServes() async throws {
        let server = try await PostgresServer.shared()
        let database = try await onBlockingThread { try server.createDatabase() }
        let environment = environment(server, database: database)
        // Two pods started at once: the schema is migrated by whichever takes the lock first.
        async let startA = RunningSystem(environment: environment)
        async let startB = RunningSystem(environment: environment)
        let (podA, podB) = try await (startA, startB)
        defer { podA.directory.remove(); podB.directory.remove() }
        let apiA = GatewayIntegrationTests.Client(base: try #require(podA.url))
        let apiB = GatewayIntegrationTests.Client(base: try #require(podB.url))
        let admin = try await token(podA)

        // Pod A imports the history; pod B lists it and ranks from it.
        let (imported, report) = try await apiA.call("POST", "/api/v1/import", token: admin, body: InstancesIntegrationTests.history())
        #expect(imported == 200 && report["created"] as? Int == 14, "\(report)")
        let (listed, tickets) = try await apiB.call("GET", "/api/v1/tickets?project=OPS&limit=100", token: admin)
        #expect(listed == 200 && (tickets["items"] as? [Any])?.count == 14)
        let (_, ranking) = try await apiB.call("POST", "/api/v1/tickets/OPS-100/recommendations", token: admin)
        #expect(Self.firstCandidate(ranking) == "alice", "\(ranking)")

        // Pod A learns that dave now resolves the new kind of work; pod B's model, already loaded, follows storage.
        let dave = (0..<6).map { index in
            InstancesIntegrationTests.line("OPS-\(200 + index)", "kafka consumer lag \(index)", components: ["kafka"], assignee: "dave",
                                           done: true, daysAgo: Double(6 - index))
        } + [InstancesIntegrationTests.line("OPS-300", "kafka consumer lag again", components: ["kafka"], assignee: nil, done: false, daysAgo: 0)]
        let (more, _) = try await apiA.call("POST", "/api/v1/import", token: admin, body: dave.joined(separator: "\n"))
        #expect(more == 200)
        var first: String?
        for _ in 0..<50 where first != "dave" {
            let (_, next) = try await apiB.call("POST", "/api/v1/tickets/OPS-300/recommendations", token: admin)
            first = Self.firstCandidate(next)
            if first != "dave" { try await Task.sleep(nanoseconds: 200_000_000) }
        }
        #expect(first == "dave", "pod B never ranked dave first for the work he resolved through pod A")

        // Settings written through one pod are the other's at once.
        let (patched, _) = try await apiA.call("PATCH", "/api/v1/projects/OPS/settings", token: admin, body: #"{"staleDays": 12}"#)
        #expect(patched == 200)
        let (_, settings) = try await apiB.call("GET", "/api/v1/projects/OPS/settings", token: admin)
        #expect(settings["staleDays"] as? Int == 12)

        // Assigned through pod B; then pod A dies (SIGKILL to its launcher: its services follow) and B goes on serving.
        let (assigned, _) = try await apiB.call("POST", "/api/v1/tickets/OPS-100/assignment", token: admin, body: #"{"assignee": "alice"}"#)
        #expect(assigned == 200)
        kill(podA.process.processIdentifier, SIGKILL)
        _ = await podA.waitForExit(timeout: 30)   // gone: its test slot is free for the third pod
        let (read, ticket) = try await apiB.call("GET", "/api/v1/tickets/OPS-100", token: admin)
        #expect(read == 200 && ticket["assignee"] as? String == "alice")
        let (recommended, _) = try await apiB.call("POST", "/api/v1/tickets/OPS-300/recommendations", token: admin)
        #expect(recommended == 200)
        let (reassigned, _) = try await apiB.call("POST", "/api/v1/tickets/OPS-300/assignment", token: admin, body: #"{"assignee": "dave"}"#)
        #expect(reassigned == 200)

        // A third pod started afterwards sees everything both wrote.
        let podC = try await RunningSystem(environment: environment)
        defer { podC.directory.remove() }
        let apiC = GatewayIntegrationTests.Client(base: try #require(podC.url))
        let (_, all) = try await apiC.call("GET", "/api/v1/tickets?project=OPS&limit=100", token: admin)
        let assignees = Dictionary(uniqueKeysWithValues: (all["items"] as? [[String: Any]] ?? []).compactMap { item in
            (item["key"] as? String).map { ($0, item["assignee"] as? String ?? "") }
        })
        #expect(assignees.count == 21 && assignees["OPS-100"] == "alice" && assignees["OPS-300"] == "dave", "\(assignees)")
        let (_, decisions) = try await apiC.call("GET", "/api/v1/tickets/OPS-300/decisions", token: admin)
        #expect((decisions["items"] as? [[String: Any]])?.compactMap { $0["mode"] as? String }.contains("manual") == true, "\(decisions)")
        _ = await podB.stop()
        _ = await podC.stop()
        try? await onBlockingThread { try server.dropDatabase(database) }
    }

    @Test func aPodIsNotReadyWhileItCannotReachTheDatabase() async throws {
        let server = try await onBlockingThread { try PostgresServer.start() }
        defer { server.close() }
        let database = try await onBlockingThread { try server.createDatabase() }
        let pod = try await RunningSystem(environment: environment(server, database: database))
        defer { pod.directory.remove() }
        let base = try #require(pod.url)
        func readiness() async throws -> Int { try await httpGet(base + "readyz").status }
        #expect(try await readiness() == 200)
        try await onBlockingThread { try server.stop() }
        var status = 200
        for _ in 0..<100 where status == 200 {
            try await Task.sleep(nanoseconds: 100_000_000)
            status = try await readiness()
        }
        #expect(status == 503, "readiness stayed \(status) with PostgreSQL stopped")
        // A request that needs the database fails fast with 503 and a clear error, not a hang.
        let admin = try await token(pod)
        let (refused, body) = try await GatewayIntegrationTests.Client(base: base).call("GET", "/api/v1/tickets?limit=5", token: admin)
        #expect(refused == 503, "\(refused) \(body)")
        #expect(try await httpGet(base + "livez").status == 200, "the pod is alive: restarting it would not help")
        try await onBlockingThread { try server.startServer() }
        for _ in 0..<150 where status != 200 {
            try await Task.sleep(nanoseconds: 100_000_000)
            status = try await readiness()
        }
        #expect(status == 200, "readiness did not come back with PostgreSQL")
        _ = await pod.stop()
    }
}
