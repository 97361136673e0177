import Contracts
import Foundation
import Harness
import RPC
import Testing

/// Rebalancing a project synced with Jira, against the fake Jira site: only people Jira lets be
/// assigned in the project receive work; applying writes each move to Jira first and stores only what
/// Jira accepted; undo writes the restoring moves the same way.
@Suite(.serialized) struct RebalanceJiraIntegrationTests {
    static let token = "api-token-123"
    static let environment = ["SMART_TICKET_JIRA_SYNC_INTERVAL_SECONDS": "0", "SMART_TICKET_JIRA_RETRY_BASE_SECONDS": "0.05"]
    static let open = ["ED-20", "ED-21", "ED-22", "ED-23"]

    static func days(_ count: Double) -> Date { Date().addingTimeInterval(-count * 86_400) }

    /// Project ED: Ana holds four open database tickets; Bo and Cy are assignable in ED and resolved
    /// database work; Gone resolved the most database work in ED but Jira now lets them be assigned in
    /// OPS only.
    static func site() throws -> FakeJira {
        let jira = try FakeJira(email: "bot@example.com", token: token)
        jira.addProject("ED", name: "Example")
        jira.addProject("OPS", name: "Operations")
        jira.addUser("acc-ana", "Ana Lopez", assignableIn: ["ED"])
        jira.addUser("acc-bo", "Bo Chen", assignableIn: ["ED"])
        jira.addUser("acc-cy", "Cy Park", assignableIn: ["ED"])
        jira.addUser("acc-gone", "Gone Elsewhere", assignableIn: ["OPS"])
        let database = ["PostgreSQL replication lag on the replica", "Slow SQL query on the orders table needs an index",
                        "PostgreSQL vacuum blocks writes on the replica", "Postgres replica failover drill",
                        "SQL deadlock between invoice writers", "PostgreSQL index bloat on orders"]
        var number = 1
        func resolved(_ title: String, by person: String, daysAgo: Double) {
            jira.put(.init(key: "ED-\(number)", project: "ED", summary: title, description: "\(title). The postgres primary and replica disagree.",
                           assignee: person, statusCategory: "done", created: days(daysAgo + 5), resolved: days(daysAgo),
                           components: ["database"], storyPoints: 2))
            number += 1
        }
        for (index, title) in database.enumerated() { resolved(title, by: "acc-gone", daysAgo: 3 + Double(index)) }
        for (index, title) in database.prefix(2).enumerated() { resolved(title, by: "acc-bo", daysAgo: 20 + Double(index)) }
        for (index, title) in database.suffix(2).enumerated() { resolved(title, by: "acc-cy", daysAgo: 22 + Double(index)) }
        for (index, key) in open.enumerated() {
            jira.put(.init(key: key, project: "ED", summary: "PostgreSQL replica lag \(index + 1)",
                           description: "SQL queries on the postgres replica are stale; replication lag grows.", assignee: "acc-ana",
                           created: days(2), components: ["database"], storyPoints: 1))
        }
        return jira
    }

    /// A running system connected to `jira` (tenant acme, projects ED and OPS) and synced once, with an
    /// admin token, Ana on leave from yesterday for a month, and a proposed plan for ED.
    static func connectedSystemWithPlan(_ jira: FakeJira) async throws -> (RunningSystem, OpenAPIClient, String, [String: Any]) {
        let system = try await RunningSystem(environment: environment)
        let tokenFile = system.directory.file("jira-token")
        FileManager.default.createFile(atPath: tokenFile, contents: Data("\(token)\n".utf8), attributes: [.posixPermissions: 0o600])
        let connected = try await ProcessRunner.run(Executables.path("smart-ticket"), [
            "jira", "connect", "--run-dir", system.runDirectory.path, "--tenant", "acme", "--site", jira.baseURL,
            "--email", "bot@example.com", "--token-file", tokenFile, "--projects", "ED,OPS"])
        #expect(connected.status == 0, "\(connected.stderr)")
        let synced = try await ProcessRunner.run(Executables.path("smart-ticket"), ["jira", "sync", "--run-dir", system.runDirectory.path,
                                                                                    "--tenant", "acme"])
        #expect(synced.status == 0, "\(synced.stderr)")
        let api = try await OpenAPIClient.connect(system)
        let admin = try await OpenAPIClient.token(system, tenant: "acme", subject: "ada", role: "admin")
        let today = Date()
        let day = { (offset: Double) in String(ISO8601.format(today.addingTimeInterval(offset * 86_400)).prefix(10)) }
        let leave = try await api.call("PATCH", "/api/v1/people/acc-ana", token: admin,
                                       body: ["timeOff": [["start": day(-1), "end": day(30), "reason": "leave"]]])
        #expect(leave.status == 200)
        let proposed = try await api.call("POST", "/api/v1/projects/ED/rebalance", token: admin)
        #expect(proposed.status == 201, "\(proposed.text)")
        return (system, api, admin, proposed.object)
    }

    /// The `to` of each move by ticket.
    static func targets(_ plan: [String: Any]) -> [String: String] {
        var targets: [String: String] = [:]
        for move in plan["moves"] as? [[String: Any]] ?? [] {
            if let ticket = move["ticket"] as? String, let to = (move["to"] as? [String: Any])?["id"] as? String { targets[ticket] = to }
        }
        return targets
    }

    @Test func onlyPeopleAssignableInJiraReceiveWork() async throws {
        let jira = try Self.site()
        defer { jira.stop() }
        let (system, api, admin, plan) = try await Self.connectedSystemWithPlan(jira)
        defer { system.directory.remove() }
        // Gone is a person of the tenant, assignable in OPS, and the best fit for database work in ED by history...
        let gone = try await api.call("GET", "/api/v1/people/acc-gone", token: admin)
        #expect(gone.status == 200 && gone.object["assignable"] as? Bool == true)
        let ranked = try await api.call("POST", "/api/v1/tickets/ED-20/recommendations", token: admin)
        let candidates = (ranked.object["candidates"] as? [[String: Any]] ?? []).compactMap { ($0["person"] as? [String: Any])?["id"] as? String }
        #expect(!candidates.contains("acc-gone"), "recommendations rank only ED's assignable people: \(candidates)")
        // ...yet every one of Ana's tickets moves, and only to people Jira lets be assigned in ED.
        let targets = Self.targets(plan)
        #expect(Set(targets.keys) == Set(Self.open), "\(plan)")
        #expect(Set(targets.values).isSubset(of: ["acc-bo", "acc-cy"]), "\(targets)")
        #expect(!targets.values.contains("acc-gone"))
        #expect(await system.stop() == 0)
    }

    @Test func applyAndUndoWriteEachMoveToJiraAndReportRefusals() async throws {
        let jira = try Self.site()
        defer { jira.stop() }
        let (system, api, admin, plan) = try await Self.connectedSystemWithPlan(jira)
        defer { system.directory.remove() }
        let storage: StorageClient = system.client(.storage)
        defer { storage.close() }
        let acme = Metadata(tenant: "acme")
        let id = try #require(plan["id"] as? String)
        let targets = Self.targets(plan)
        #expect(Set(targets.keys) == Set(Self.open), "\(plan)")

        // Jira refuses ED-22 (the account may not edit it); the other moves go through.
        jira.refuseAssignments(of: "ED-22", status: 403)
        let before = jira.requests.count
        let applied = try await api.call("POST", "/api/v1/projects/ED/rebalance/\(id)/apply", token: admin)
        #expect(applied.status == 200, "\(applied.text)")
        #expect(applied.object["status"] as? String == "applied")
        let refused = try #require(applied.object["refused"] as? [[String: Any]])
        #expect(refused.map { $0["ticket"] as? String } == ["ED-22"])
        #expect(refused.first?["status"] as? Int == 403)
        #expect((refused.first?["reason"] as? String)?.hasPrefix("Jira refused the assignment") == true, "\(refused)")
        // Each move was written to Jira, after the permission check, as the manual assignment writes it.
        let writes = jira.requests.dropFirst(before).filter { $0.method == "PUT" }
        #expect(Set(writes.map(\.path)) == Set(Self.open.map { "/rest/api/3/issue/\($0)/assignee" }))
        for write in writes {
            let key = String(write.path.split(separator: "/")[4])
            #expect(write.body == #"{"accountId":"\#(targets[key] ?? "?")"}"#)
        }
        #expect(jira.requests.dropFirst(before).first { $0.method == "GET" }?.path == "/rest/api/3/mypermissions")
        for key in Self.open {
            let expected = key == "ED-22" ? "acc-ana" : targets[key]
            #expect(jira.issue(key)?.assignee == expected, "\(key) in Jira")
            let ticket = try await storage.call(StorageContract.getTicket, .init(key), metadata: acme)
            #expect(ticket.assignee == expected, "\(key) here")
            let modes = try await storage.call(StorageContract.listDecisions, .init(ticket: key), metadata: acme).items.map(\.mode)
            #expect(modes == (key == "ED-22" ? [] : [.rebalance]), "\(key): \(modes)")
        }
        let stored = try await api.call("GET", "/api/v1/projects/ED/rebalance/\(id)", token: admin)
        #expect((stored.object["refused"] as? [[String: Any]])?.map { $0["ticket"] as? String } == ["ED-22"])

        // Undo: Jira now refuses ED-21 with a conflict; the other applied moves go back, in Jira first.
        jira.refuseAssignments(of: "ED-22", status: nil)
        jira.refuseAssignments(of: "ED-21", status: 409)
        // The manual assignment writes through the same helper: Jira's conflict is a 409 there too, and changes nothing.
        let manual = try await api.call("POST", "/api/v1/tickets/ED-21/assignment", token: admin, body: ["assignee": "acc-ana"])
        #expect(manual.status == 409, "\(manual.text)")
        #expect(manual.errorCode == "FAILED_PRECONDITION")
        #expect(try await storage.call(StorageContract.getTicket, .init("ED-21"), metadata: acme).assignee == targets["ED-21"])
        let beforeUndo = jira.requests.count
        let undone = try await api.call("POST", "/api/v1/projects/ED/rebalance/\(id)/undo", token: admin)
        #expect(undone.status == 200, "\(undone.text)")
        #expect(undone.object["status"] as? String == "undone")
        let report = try #require(undone.object["undo"] as? [String: Any])
        #expect(Set(report["restored"] as? [String] ?? []) == ["ED-20", "ED-23"])
        #expect((report["skipped"] as? [[String: Any]])?.map { $0["ticket"] as? String } == ["ED-22"])
        let undoRefused = try #require(report["refused"] as? [[String: Any]])
        #expect(undoRefused.map { $0["ticket"] as? String } == ["ED-21"])
        #expect(undoRefused.first?["status"] as? Int == 409)
        let undoWrites = jira.requests.dropFirst(beforeUndo).filter { $0.method == "PUT" }
        #expect(Set(undoWrites.map(\.path)) == Set(["ED-20", "ED-21", "ED-23"].map { "/rest/api/3/issue/\($0)/assignee" }))
        #expect(undoWrites.allSatisfy { $0.body == #"{"accountId":"acc-ana"}"# })
        for key in Self.open {
            let expected = key == "ED-21" ? targets[key] : "acc-ana"
            #expect(jira.issue(key)?.assignee == expected, "\(key) in Jira after undo")
            let ticket = try await storage.call(StorageContract.getTicket, .init(key), metadata: acme)
            #expect(ticket.assignee == expected, "\(key) here after undo")
            let decisions = try await storage.call(StorageContract.listDecisions, .init(ticket: key), metadata: acme).items
            let undos = decisions.filter { $0.reason == "undo of rebalance \(id)" }
            #expect(undos.count == (["ED-20", "ED-23"].contains(key) ? 1 : 0), "\(key)")
        }
        #expect(!system.log.contains(Self.token))
        #expect(await system.stop() == 0)
    }

    @Test func withoutPermissionNothingMovesAndAFailingJiraIsRetriedThenRefused() async throws {
        let jira = try Self.site()
        defer { jira.stop() }
        let (system, api, admin, plan) = try await Self.connectedSystemWithPlan(jira)
        defer { system.directory.remove() }
        let storage: StorageClient = system.client(.storage)
        defer { storage.close() }
        let acme = Metadata(tenant: "acme")
        let id = try #require(plan["id"] as? String)
        let targets = Self.targets(plan)
        #expect(Set(targets.keys) == Set(Self.open), "\(plan)")

        // Without ASSIGN_ISSUES nothing is written anywhere and the plan stays proposed.
        jira.granted.remove("ASSIGN_ISSUES")
        let denied = try await api.call("POST", "/api/v1/projects/ED/rebalance/\(id)/apply", token: admin)
        #expect(denied.status == 403)
        #expect(denied.errorCode == "PERMISSION_DENIED")
        #expect(!jira.requests.contains { $0.method == "PUT" })
        let still = try await api.call("GET", "/api/v1/projects/ED/rebalance/\(id)", token: admin)
        #expect(still.object["status"] as? String == "proposed")
        for key in Self.open {
            #expect(try await storage.call(StorageContract.getTicket, .init(key), metadata: acme).assignee == "acc-ana")
        }
        jira.granted.insert("ASSIGN_ISSUES")

        // Jira keeps answering 503 for ED-20: read back and re-sent up to the retry limit, then refused as 502.
        jira.refuseAssignments(of: "ED-20", status: 503)
        let applied = try await api.call("POST", "/api/v1/projects/ED/rebalance/\(id)/apply", token: admin)
        #expect(applied.status == 200, "\(applied.text)")
        let refused = try #require(applied.object["refused"] as? [[String: Any]])
        #expect(refused.map { $0["ticket"] as? String } == ["ED-20"])
        #expect(refused.first?["status"] as? Int == 502)
        let puts = jira.requests.filter { $0.method == "PUT" && $0.path == "/rest/api/3/issue/ED-20/assignee" }
        #expect(puts.count == 5, "the first attempt and 4 retries")
        #expect(jira.requests.filter { $0.method == "GET" && $0.path == "/rest/api/3/issue/ED-20" }.count == 4, "each retry reads back first")
        #expect(jira.issue("ED-20")?.assignee == "acc-ana")
        #expect(try await storage.call(StorageContract.getTicket, .init("ED-20"), metadata: acme).assignee == "acc-ana")
        #expect(try await storage.call(StorageContract.listDecisions, .init(ticket: "ED-20"), metadata: acme).items.isEmpty)
        for key in Self.open where key != "ED-20" {
            #expect(jira.issue(key)?.assignee == targets[key])
            #expect(try await storage.call(StorageContract.getTicket, .init(key), metadata: acme).assignee == targets[key])
        }
        #expect(await system.stop() == 0)
    }
}
