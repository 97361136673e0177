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

    /// PostgreSQL stops under a stream of writes: requests fail fast with 503 while it is gone, the pod stays alive
    /// (no restart, let alone a loop), readiness follows the database, and every write that was acknowledged is there
    /// when it returns.
    @Test func stoppingPostgresUnderLoadLosesNothingAcknowledged() async throws {
        let server = try await onBlockingThread { try PostgresServer.start() }
        defer { server.close() }
        let database = try await onBlockingThread { try server.createDatabase() }
        let pod = try await RunningSystem(environment: environment(server, database: database))
        defer { pod.directory.remove() }
        let base = try #require(pod.url)
        let api = GatewayIntegrationTests.Client(base: base)
        let admin = try await token(pod)
        func readiness() async throws -> Int { try await httpGet(base + "readyz").status }
        #expect(try await readiness() == 200)
        let (imported, _) = try await api.call("POST", "/api/v1/import", token: admin, body: InstancesIntegrationTests.history())
        #expect(imported == 200)

        // One writer creates tickets one after the other for as long as the test runs, remembering which were acknowledged.
        let writer = Task { () -> (acknowledged: [String], statuses: [Int: Int]) in
            var acknowledged: [String] = []
            var statuses: [Int: Int] = [:]
            var number = 1000
            while !Task.isCancelled {
                number += 1
                let key = "OPS-\(number)"
                let status = (try? await api.call("POST", "/api/v1/tickets", token: admin,
                                                  body: #"{"key": "\#(key)", "project": "OPS", "title": "Queue backlog \#(number)"}"#).0) ?? -1
                if Task.isCancelled { break }   // the last call, cut short by the end of the test
                statuses[status, default: 0] += 1
                if status == 201 { acknowledged.append(key) }
                if status != 201 { try? await Task.sleep(nanoseconds: 20_000_000) }
            }
            return (acknowledged, statuses)
        }
        try await Task.sleep(nanoseconds: 1_000_000_000)
        try await onBlockingThread { try server.stop() }
        var status = 200
        for _ in 0..<100 where status == 200 {
            try await Task.sleep(nanoseconds: 100_000_000)
            status = try await readiness()
        }
        #expect(status == 503, "readiness stayed \(status) with PostgreSQL stopped")
        // A request that needs the database fails fast with 503 and a clear error, not a hang.
        let (refused, body) = try await api.call("GET", "/api/v1/tickets?limit=5", token: admin)
        #expect(refused == 503, "\(refused) \(body)")
        #expect(((body["error"] as? [String: Any])?["message"] as? String ?? "").contains("database is unavailable"), "\(body)")
        #expect(try await httpGet(base + "livez").status == 200, "the pod is alive: restarting it would not help")
        try await Task.sleep(nanoseconds: 2_000_000_000)
        try await onBlockingThread { try server.startServer() }
        for _ in 0..<150 where status != 200 {
            try await Task.sleep(nanoseconds: 100_000_000)
            status = try await readiness()
        }
        #expect(status == 200, "readiness did not come back with PostgreSQL")
        try await Task.sleep(nanoseconds: 1_000_000_000)
        writer.cancel()
        let (acknowledged, statuses) = await writer.value

        // Writes were acknowledged before and after the outage and refused with 503 during it, nothing else.
        #expect(Set(statuses.keys).isSubset(of: [201, 503]), "\(statuses)")
        #expect(statuses[503, default: 0] > 0 && acknowledged.count > 2, "\(statuses)")
        var stored: Set<String> = []
        var cursor: String? = ""
        while let next = cursor {
            let (listed, page) = try await api.call("GET", "/api/v1/tickets?project=OPS&limit=500" + (next.isEmpty ? "" : "&cursor=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? next)), token: admin)
            #expect(listed == 200)
            stored.formUnion((page["items"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String })
            cursor = listed == 200 ? page["next"] as? String : nil
        }
        #expect(Set(acknowledged).subtracting(stored).isEmpty, "acknowledged but lost: \(Set(acknowledged).subtracting(stored).sorted())")
        let restarts = try await pod.status().instances.map { ($0.service.rawValue, $0.restarts) }.filter { $0.1 > 0 }
        #expect(restarts.isEmpty, "services restarted while PostgreSQL was away: \(restarts)")
        print("PostgreSQL stopped under load: \(statuses) (acknowledged \(acknowledged.count), all stored)")
        _ = await pod.stop()
    }

    /// The scheduled Jira sync runs in one pod, under a lease; when that pod dies, another takes the sync over once the
    /// lease runs out, and goes on from the cursor.
    @Test func theScheduledJiraSyncMovesToAnotherPodWhenItsPodDies() async throws {
        let jira = try JiraScheduleIntegrationTests.operationsSite()
        defer { jira.stop() }
        let server = try await PostgresServer.shared()
        let database = try await onBlockingThread { try server.createDatabase() }
        var environment = environment(server, database: database)
        environment["SMART_TICKET_JIRA_SYNC_INTERVAL_SECONDS"] = "0.5"
        environment["SMART_TICKET_JIRA_SYNC_LEASE_SECONDS"] = "3"

        // Pod A alone: it takes the lease and syncs.
        let podA = try await RunningSystem(environment: environment)
        defer { podA.directory.remove() }
        let tokenFile = podA.directory.file("jira-token")
        _ = FileManager.default.createFile(atPath: tokenFile, contents: Data(JiraIntegrationTests.token.utf8), attributes: [.posixPermissions: 0o600])
        let connected = try await ProcessRunner.run(Executables.path("smart-ticket"), [
            "jira", "connect", "--run-dir", podA.runDirectory.path, "--tenant", "acme", "--site", jira.baseURL,
            "--email", "bot@example.com", "--token-file", tokenFile, "--projects", "OPS"], environment: environment)
        #expect(connected.status == 0, "\(connected.stderr)")
        let admin = try await token(podA)
        func keys(_ api: GatewayIntegrationTests.Client) async -> Set<String> {
            let page = try? await api.call("GET", "/api/v1/tickets?project=OPS&limit=100", token: admin)
            return Set((page?.1["items"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String })
        }
        let apiA = GatewayIntegrationTests.Client(base: try #require(podA.url))
        var seen: Set<String> = []
        for _ in 0..<600 where !seen.contains("OPS-1") {   // no wall-clock bound on success; give up after about a minute
            try await Task.sleep(nanoseconds: 100_000_000)
            seen = await keys(apiA)
        }
        #expect(seen.contains("OPS-1"), "pod A never synced")

        // Pod B joins, pod A dies holding the lease; what Jira gets next reaches the database through pod B.
        let podB = try await RunningSystem(environment: environment)
        defer { podB.directory.remove() }
        let apiB = GatewayIntegrationTests.Client(base: try #require(podB.url))
        kill(podA.process.processIdentifier, SIGKILL)
        _ = await podA.waitForExit(timeout: 30)
        jira.put(.init(key: "OPS-2", project: "OPS", summary: "Certificate expires", created: Date()))
        for _ in 0..<900 where !seen.contains("OPS-2") {
            try await Task.sleep(nanoseconds: 100_000_000)
            seen = await keys(apiB)
        }
        #expect(seen == ["OPS-1", "OPS-2"], "the sync did not move to pod B: \(seen.sorted())")
        _ = await podB.stop()
        try? await onBlockingThread { try server.dropDatabase(database) }
    }
}
