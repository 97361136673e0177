import Contracts
import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Harness
import RPC
import Testing

/// Jira end to end: the real executables against the fake Jira site. Connect, backfill, incremental
/// sync, webhooks to an assignment written back to Jira, a 429 storm.
@Suite(.serialized) struct JiraIntegrationTests {
    static let secret = "webhook-secret-42"
    static let token = "api-token-123"
    static let environment = ["SMART_TICKET_JIRA_SYNC_INTERVAL_SECONDS": "0",
                              "SMART_TICKET_JIRA_RETRY_BASE_SECONDS": "0.05"]

    static func days(_ count: Double) -> Date { Date().addingTimeInterval(-count * 86_400) }

    /// A site with project ED: Ana resolved database tickets, Bo front-end ones, an old hand's ticket is
    /// older than the backfill window; one reassignment from Bo to Ana is in a changelog.
    static func site() throws -> FakeJira {
        let jira = try FakeJira(email: "bot@example.com", token: token)
        jira.maxPageSize = 3
        jira.addProject("ED", name: "Example")
        jira.addUser("acc-ana", "Ana Lopez", assignableIn: ["ED"])
        jira.addUser("acc-bo", "Bo Chen", assignableIn: ["ED"])
        jira.addUser("acc-old", "Old Hand", active: false, assignableIn: [])
        // Gone to the OPS team: assignable there, not in ED, though their ED history fits database work.
        jira.addProject("OPS", name: "Operations")
        jira.addUser("acc-gone", "Gone Elsewhere", assignableIn: ["OPS"])
        let database = ["PostgreSQL replication lag on the replica", "Slow SQL query on orders table needs an index",
                        "PostgreSQL vacuum blocks writes on replica"]
        let frontend = ["React button misaligned in the checkout form", "CSS grid breaks the dashboard layout in Safari",
                        "React state lost when the modal closes"]
        for (index, title) in database.enumerated() {
            jira.put(.init(key: "ED-\(index + 1)", project: "ED", summary: title, description: "\(title). The postgres primary and replica disagree.",
                           assignee: "acc-ana", statusCategory: "done", created: days(40 + Double(index)), resolved: days(30 - Double(index)),
                           components: ["database"], storyPoints: 3))
        }
        for (index, title) in frontend.enumerated() {
            jira.put(.init(key: "ED-\(index + 4)", project: "ED", summary: title, description: "\(title). Seen in the React front end with CSS.",
                           assignee: "acc-bo", statusCategory: "done", created: days(40 + Double(index)), resolved: days(20 - Double(index)),
                           components: ["frontend"], storyPoints: 2))
        }
        jira.put(.init(key: "ED-7", project: "ED", summary: "Ancient database ticket", assignee: "acc-old", statusCategory: "done",
                       created: days(800), resolved: days(700)))
        jira.put(.init(key: "ED-13", project: "ED", summary: "PostgreSQL replica failover drill", description: "postgres replica replication",
                       assignee: "acc-gone", statusCategory: "done", created: days(16), resolved: days(15), components: ["database"]))
        jira.put(.init(key: "ED-8", project: "ED", summary: "Checkout page React warning", created: days(3)))
        jira.put(.init(key: "ED-9", project: "ED", summary: "Index missing on invoices", assignee: "acc-bo", statusCategory: "indeterminate",
                       created: days(2)))
        // ED-2 was first given to Bo, then a person moved it to Ana.
        jira.update("ED-2", at: days(35)) { $0.assignee = "acc-bo" }
        jira.reassign("ED-2", to: "acc-ana", by: "acc-bo", at: days(34))
        jira.update("ED-2", at: days(29)) { _ in }
        return jira
    }

    static func signed(_ body: String, secret: String = secret) -> String {
        "sha256=" + Digest.hex(Digest.hmacSHA256(key: Array(secret.utf8), message: Array(body.utf8)))
    }

    static func post(_ base: String, _ path: String, body: String, signature: String?) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: URL(string: base + path.dropFirst())!)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let signature { request.setValue(signature, forHTTPHeaderField: "X-Hub-Signature") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }

    static func call(_ base: String, _ method: String, _ path: String, token: String, body: String? = nil) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: URL(string: base + path.dropFirst())!)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body { request.httpBody = Data(body.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }

    /// A `jira:issue_created` / `jira:issue_updated` webhook body in the shape Jira Cloud sends (v2 issue).
    static func webhook(_ event: String, _ jira: FakeJira, key: String, summary: String, description: String?, assignee: String? = nil,
                        changelog: (from: String?, to: String?)? = nil, user: String = "acc-bo") -> String {
        var fields: [String: Any] = [
            "summary": summary, "description": description as Any? ?? NSNull(),
            "project": ["id": "10000", "key": "ED", "name": "Example"],
            "status": ["name": "To Do", "statusCategory": ["key": "new"]],
            "priority": ["name": "High"], "labels": [], "components": [],
            "created": FakeJira.jiraDate(Date()), "updated": FakeJira.jiraDate(Date()),
            "assignee": assignee.map { ["accountId": $0, "displayName": $0, "active": true] } as Any? ?? NSNull(),
        ]
        fields["resolutiondate"] = NSNull()
        var body: [String: Any] = ["timestamp": 1_700_000_000_000, "webhookEvent": event,
                                   "user": ["accountId": user, "displayName": user],
                                   "issue": ["id": "20001", "key": key, "self": "\(jira.baseURL)/rest/api/2/issue/20001", "fields": fields]]
        if let changelog {
            body["changelog"] = ["id": "9001", "items": [["field": "assignee", "fieldtype": "jira", "fieldId": "assignee",
                                                         "from": changelog.from as Any? ?? NSNull(), "to": changelog.to as Any? ?? NSNull()]]]
        }
        return String(decoding: try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]), as: UTF8.self)
    }

    func connect(_ system: RunningSystem, _ jira: FakeJira, tenant: String, projects: String = "ED") async throws -> CommandResult {
        let tokenFile = system.directory.file("jira-token")
        FileManager.default.createFile(atPath: tokenFile, contents: Data("\(Self.token)\n".utf8), attributes: [.posixPermissions: 0o600])
        let secretFile = system.directory.file("webhook-secret-\(tenant)")
        FileManager.default.createFile(atPath: secretFile, contents: Data("\(Self.secret)\n".utf8), attributes: [.posixPermissions: 0o600])
        return try await ProcessRunner.run(Executables.path("smart-ticket"), [
            "jira", "connect", "--run-dir", system.runDirectory.path, "--tenant", tenant, "--site", jira.baseURL,
            "--email", "bot@example.com", "--token-file", tokenFile, "--projects", projects, "--webhook-secret-file", secretFile])
    }

    func sync(_ system: RunningSystem, tenant: String) async throws -> CommandResult {
        try await ProcessRunner.run(Executables.path("smart-ticket"), ["jira", "sync", "--run-dir", system.runDirectory.path, "--tenant", tenant])
    }

    func adminToken(_ system: RunningSystem, tenant: String) async throws -> String {
        let result = try await ProcessRunner.run(Executables.path("smart-ticket"), [
            "token", "create", "--data-dir", system.directory.file("data"), "--tenant", tenant, "--subject", "ada", "--role", "admin", "--ttl", "1h"])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func allTickets(_ storage: StorageClient, tenant: String) async throws -> [Ticket] {
        try await storage.call(StorageContract.listTickets, .init(limit: 1000), metadata: Metadata(tenant: tenant)).items
    }

    @Test func connectBackfillIncrementalAndWebhooksToAssignment() async throws {
        let jira = try Self.site()
        defer { jira.stop() }
        let system = try await RunningSystem(environment: Self.environment)
        defer { system.directory.remove() }
        let storage: StorageClient = system.client(.storage)
        defer { storage.close() }
        let acme = Metadata(tenant: "acme")

        // Connect: credentials, projects and permissions are checked; the token is not stored.
        let connected = try await connect(system, jira, tenant: "acme", projects: "ED,OPS")
        #expect(connected.status == 0, "\(connected.stderr)")
        #expect(connected.stdout.contains("project ED (Example): can assign"))
        #expect(connected.stdout.contains("story points field: \(jira.storyPointsField)"))
        let setting = try await storage.call(StorageContract.getSetting, .init("jira.connection"), metadata: acme)
        let value = try #require(setting.value)
        let stored = try #require(try JSONSerialization.jsonObject(with: value) as? [String: Any])
        #expect(stored["tokenFile"] as? String == system.directory.file("jira-token"))
        #expect(!String(decoding: value, as: UTF8.self).contains(Self.token))
        let database = try Data(contentsOf: URL(fileURLWithPath: system.directory.file("data/smart-ticket.sqlite")))
        #expect(database.range(of: Data(Self.token.utf8)) == nil)

        // Backfill: open tickets and those resolved in the window, assignable people, the reassignment.
        let first = try await sync(system, tenant: "acme")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("(backfill)"))
        #expect(first.stdout.contains("tickets: 9 seen, 9 new, 0 updated"), "\(first.stdout)")
        #expect(first.stdout.contains("reassignments recorded: 1"))
        var tickets = try await allTickets(storage, tenant: "acme")
        #expect(Set(tickets.map(\.key)) == Set((1...6).map { "ED-\($0)" } + ["ED-8", "ED-9", "ED-13"]))
        #expect(tickets.first { $0.key == "ED-1" }?.storyPoints == 3)
        #expect(tickets.first { $0.key == "ED-9" }?.status == .inProgress)
        let ana = try await storage.call(StorageContract.getPerson, .init("acc-ana"), metadata: acme)
        #expect(ana.displayName == "Ana Lopez" && ana.assignable)
        let reassigned = try await storage.call(StorageContract.listDecisions, .init(ticket: "ED-2"), metadata: acme).items
        #expect(reassigned.map(\.mode) == [.override])
        #expect(reassigned.first?.chosen == "acc-ana" && reassigned.first?.previous == "acc-bo")
        let searches = jira.requests.filter { $0.path == "/rest/api/3/search/jql" && $0.query["jql"]?.hasPrefix(#"project = "ED""#) == true }
        #expect(searches.count == 3 && searches.dropFirst().allSatisfy { $0.query["nextPageToken"] != nil })
        #expect(searches[0].query["jql"]?.contains("statusCategory != Done OR resolved >=") == true)
        #expect(!jira.requests.contains { $0.path == "/rest/api/3/search" })
        #expect(searches.allSatisfy { $0.query["expand"] == "changelog" })
        #expect(!jira.requests.contains { $0.path.hasSuffix("/changelog") }, "short changelogs come inline with the search")

        // Incremental: only what changed since the cursor.
        jira.update("ED-8") { $0.summary = "Checkout page React warning in the console" }
        jira.put(.init(key: "ED-10", project: "ED", summary: "New CSS regression", created: Date()))
        let before = jira.requests.count
        let second = try await sync(system, tenant: "acme")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("(incremental)"))
        // ED-9, the newest ticket of the backfill, is seen again: the cursor overlaps by a minute (JQL's precision).
        #expect(second.stdout.contains("tickets: 3 seen, 1 new, 1 updated, 1 unchanged"), "\(second.stdout)")
        let incremental = jira.requests.dropFirst(before).filter { $0.path == "/rest/api/3/search/jql" }
        #expect(incremental.first?.query["jql"]?.contains("updated >= ") == true)
        // Again: idempotent.
        let third = try await sync(system, tenant: "acme")
        #expect(third.stdout.contains("0 new, 0 updated"), "\(third.stdout)")
        #expect(third.stdout.contains("reassignments recorded: 0"))
        tickets = try await allTickets(storage, tenant: "acme")
        #expect(tickets.count == 10)
        #expect(try await storage.call(StorageContract.listDecisions, .init(ticket: "ED-2"), metadata: acme).items.count == 1)

        // Auto-assign on: a new ticket arriving by webhook is assigned in Jira to the right person.
        let base = try #require(system.url)
        let admin = try await adminToken(system, tenant: "acme")
        let settings = #"{"weights":{},"autoAssign":true,"confidenceThreshold":0,"staleDays":30,"candidatePool":"assignable"}"#
        let (settingsStatus, _) = try await Self.call(base, "PUT", "/api/v1/projects/ED/settings", token: admin, body: settings)
        #expect(settingsStatus == 200)
        jira.put(.init(key: "ED-11", project: "ED", summary: "PostgreSQL replica lag again", description: "replication lag", created: Date()))
        let created = Self.webhook("jira:issue_created", jira, key: "ED-11", summary: "PostgreSQL replica lag again",
                                   description: "The postgres replica shows replication lag; SQL queries on the replica are stale.")
        let (createdStatus, createdAnswer) = try await Self.post(base, "/webhooks/jira?tenant=acme", body: created, signature: Self.signed(created))
        #expect(createdStatus == 200, "\(createdAnswer)")
        #expect(createdAnswer["action"] as? String == "assigned")
        #expect(createdAnswer["assigned"] as? String == "acc-ana")
        #expect(jira.issue("ED-11")?.assignee == "acc-ana")
        let writes = jira.requests.filter { $0.method == "PUT" }
        #expect(writes.map(\.path) == ["/rest/api/3/issue/ED-11/assignee"])
        #expect(writes.first?.body == #"{"accountId":"acc-ana"}"#)
        let permissionCheck = jira.requests.lastIndex { $0.path == "/rest/api/3/mypermissions" && $0.query["permissions"] == "ASSIGN_ISSUES" }
        let write = jira.requests.lastIndex { $0.method == "PUT" }
        #expect(permissionCheck != nil && write != nil && permissionCheck! < write!)
        // Only people assignable in ED were ranked: not the one who moved to OPS, whatever their history.
        let autoDecision = try #require(try await storage.call(StorageContract.listDecisions, .init(ticket: "ED-11"), metadata: acme).items.first)
        #expect(autoDecision.mode == .auto && !autoDecision.candidates.isEmpty)
        #expect(Set(autoDecision.candidates.map(\.person)).isSubset(of: ["acc-ana", "acc-bo"]))
        #expect(try await storage.call(StorageContract.getPerson, .init("acc-gone"), metadata: acme).assignable)
        let (_, ticket11) = try await Self.call(base, "GET", "/api/v1/tickets/ED-11", token: admin)
        #expect(ticket11["assignee"] as? String == "acc-ana")

        // A person moves it to Bo in Jira: recorded as an override.
        jira.reassign("ED-11", to: "acc-bo", by: "acc-bo")
        let updated = Self.webhook("jira:issue_updated", jira, key: "ED-11", summary: "PostgreSQL replica lag again",
                                   description: "The postgres replica shows replication lag.", assignee: "acc-bo",
                                   changelog: (from: "acc-ana", to: "acc-bo"))
        let (updatedStatus, updatedAnswer) = try await Self.post(base, "/webhooks/jira?tenant=acme", body: updated, signature: Self.signed(updated))
        #expect(updatedStatus == 200)
        #expect(updatedAnswer["action"] as? String == "override")
        let decisions = try await storage.call(StorageContract.listDecisions, .init(ticket: "ED-11"), metadata: acme).items
        #expect(decisions.map(\.mode) == [.auto, .override])
        #expect(decisions.last?.chosen == "acc-bo" && decisions.last?.previous == "acc-ana" && decisions.last?.actor == "jira:acc-bo")
        // Jira delivering the same event again, and the next sync reading the same change from the changelog, add nothing.
        let (retriedStatus, retried) = try await Self.post(base, "/webhooks/jira?tenant=acme", body: updated, signature: Self.signed(updated))
        #expect(retriedStatus == 200 && retried["action"] as? String == "unchanged")
        let afterWebhook = try await sync(system, tenant: "acme")
        #expect(afterWebhook.stdout.contains("reassignments recorded: 0"), "\(afterWebhook.stdout)")
        #expect(try await storage.call(StorageContract.listDecisions, .init(ticket: "ED-11"), metadata: acme).items.map(\.mode) == [.auto, .override])

        // A Forge event carries no description: the issue is fetched.
        jira.put(.init(key: "ED-12", project: "ED", summary: "Forge made this", description: "Body only Jira knows", assignee: "acc-bo",
                       created: Date()))
        let forge = #"{"eventType":"avi:jira:created:issue","issue":{"id":"20002","key":"ED-12","fields":{"summary":"Forge made this","project":{"id":"10000","key":"ED","name":"Example"},"assignee":null,"created":"2026-01-01T10:00:00.000+0000","updated":"2026-01-01T10:00:00.000+0000","status":{"name":"To Do","statusCategory":{"id":2,"key":"new","name":"To Do"}}}},"atlassianId":"acc-bo"}"#
        let (forgeStatus, _) = try await Self.post(base, "/webhooks/jira?tenant=acme", body: forge, signature: Self.signed(forge))
        #expect(forgeStatus == 200)
        #expect(jira.requests.contains { $0.method == "GET" && $0.path == "/rest/api/3/issue/ED-12" })
        let (_, ticket12) = try await Self.call(base, "GET", "/api/v1/tickets/ED-12", token: admin)
        #expect(ticket12["description"] as? String == "Body only Jira knows")

        // Assigning through the API writes to Jira first; what Jira refuses changes nothing here.
        let (manualStatus, _) = try await Self.call(base, "POST", "/api/v1/tickets/ED-8/assignment", token: admin, body: #"{"assignee":"acc-bo"}"#)
        #expect(manualStatus == 200)
        #expect(jira.issue("ED-8")?.assignee == "acc-bo")
        let (refusedStatus, refused) = try await Self.call(base, "POST", "/api/v1/tickets/ED-8/assignment", token: admin, body: #"{"assignee":"acc-gone"}"#)
        #expect(refusedStatus == 400)
        #expect((refused["error"] as? [String: String])?["message"] == "Jira refused the assignment: assignee: User 'acc-gone' cannot be assigned issues.")
        #expect(try await storage.call(StorageContract.getTicket, .init("ED-8"), metadata: acme).assignee == "acc-bo")
        jira.granted.remove("ASSIGN_ISSUES")
        let (deniedStatus, _) = try await Self.call(base, "POST", "/api/v1/tickets/ED-8/assignment", token: admin, body: #"{"assignee":"acc-ana"}"#)
        #expect(deniedStatus == 403)
        #expect(jira.issue("ED-8")?.assignee == "acc-bo")
        jira.granted.insert("ASSIGN_ISSUES")

        // Refusals: a bad signature, a missing one, a malformed body, no tenant.
        let (badSignature, badBody) = try await Self.post(base, "/webhooks/jira?tenant=acme", body: created, signature: Self.signed(created, secret: "wrong"))
        #expect(badSignature == 401)
        #expect((badBody["error"] as? [String: String])?["code"] == "UNAUTHENTICATED")
        #expect((badBody["error"] as? [String: String])?["message"]?.contains("tenant acme's webhook secret") == true, "\(badBody)")
        #expect((badBody["error"] as? [String: String])?["message"]?.contains("bearer") == false)
        #expect(try await Self.post(base, "/webhooks/jira?tenant=acme", body: created, signature: nil).0 == 401)
        let malformed = #"{"webhookEvent": "jira:issue_created", "issue": "#
        let (malformedStatus, malformedBody) = try await Self.post(base, "/webhooks/jira?tenant=acme", body: malformed, signature: Self.signed(malformed))
        #expect(malformedStatus == 400)
        #expect((malformedBody["error"] as? [String: String])?["message"] == "malformed JSON body")
        #expect(try await Self.post(base, "/webhooks/jira", body: created, signature: Self.signed(created)).0 == 400)
        let foreign = created.replacingOccurrences(of: "127.0.0.1", with: "other.atlassian.net")
        #expect(try await Self.post(base, "/webhooks/jira?tenant=acme", body: foreign, signature: Self.signed(foreign)).0 == 403)
        #expect(!system.log.contains(Self.token) && !system.log.contains("bot@example.com") && !system.log.contains("replication lag"))
        #expect(await system.stop() == 0)
    }

    @Test func aRateLimitStormSlowsTheSyncWithoutLosingOrDuplicating() async throws {
        let jira = try FakeJira(email: "bot@example.com", token: Self.token)
        defer { jira.stop() }
        jira.maxPageSize = 4
        jira.addProject("ED", name: "Example")
        jira.addUser("acc-ana", "Ana Lopez", assignableIn: ["ED"])
        for index in 1...20 {
            jira.put(.init(key: "ED-\(index)", project: "ED", summary: "Ticket \(index) about postgres", assignee: index % 2 == 0 ? "acc-ana" : nil,
                           statusCategory: index % 2 == 0 ? "done" : "new", created: Self.days(10),
                           updated: Self.days(9).addingTimeInterval(Double(index)), resolved: index % 2 == 0 ? Self.days(9) : nil))
        }
        let system = try await RunningSystem(environment: Self.environment)
        defer { system.directory.remove() }
        let connected = try await connect(system, jira, tenant: "storm")
        #expect(connected.status == 0, "\(connected.stderr)")
        jira.rateLimit(every: 2, retryAfter: nil)
        jira.failNext([(429, "1"), (429, "1")])
        let result = try await sync(system, tenant: "storm")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("tickets: 20 seen, 20 new, 0 updated, 0 unchanged, 0 rejected"), "\(result.stdout)")
        let retries = try #require(result.stdout.firstMatch(of: /retries: (\d+), rate limited: (\d+)/))
        #expect(Int(retries.1)! >= 5 && Int(retries.1)! == Int(retries.2)!)
        let seconds = try #require(result.stdout.firstMatch(of: /in ([0-9.]+) s/))
        #expect(Double(seconds.1)! >= 2.0, "two Retry-After: 1 answers hold the site back at least 2 s")
        #expect(jira.requests.filter { $0.status == 429 }.count == Int(retries.2)!)
        let storage: StorageClient = system.client(.storage)
        defer { storage.close() }
        let tickets = try await allTickets(storage, tenant: "storm")
        #expect(tickets.count == 20 && Set(tickets.map(\.key)).count == 20)
        jira.rateLimit(every: 0, retryAfter: nil)
        let again = try await sync(system, tenant: "storm")
        #expect(again.stdout.contains("0 new, 0 updated"), "\(again.stdout)")
        #expect(await system.stop() == 0)
    }
}

/// The gateway syncs connected tenants on its own, every `jira.syncIntervalSeconds`.
@Suite(.serialized) struct JiraScheduleIntegrationTests {
    /// A Jira site with the project OPS, one assignable person and one open ticket, OPS-1.
    static func operationsSite() throws -> FakeJira {
        let jira = try FakeJira(email: "bot@example.com", token: JiraIntegrationTests.token)
        jira.addProject("OPS", name: "Operations")
        jira.addUser("acc-ana", "Ana Lopez", assignableIn: ["OPS"])
        jira.put(.init(key: "OPS-1", project: "OPS", summary: "Disk full on build agent", created: JiraIntegrationTests.days(1)))
        return jira
    }

    @Test func theGatewaySyncsConnectedTenantsOnItsSchedule() async throws {
        let jira = try JiraScheduleIntegrationTests.operationsSite()
        defer { jira.stop() }
        var environment = JiraIntegrationTests.environment
        environment["SMART_TICKET_JIRA_SYNC_INTERVAL_SECONDS"] = "0.5"
        let system = try await RunningSystem(environment: environment)
        defer { system.directory.remove() }
        let tokenFile = system.directory.file("jira-token")
        FileManager.default.createFile(atPath: tokenFile, contents: Data(JiraIntegrationTests.token.utf8), attributes: [.posixPermissions: 0o600])
        let connected = try await ProcessRunner.run(Executables.path("smart-ticket"), [
            "jira", "connect", "--run-dir", system.runDirectory.path, "--tenant", "ops", "--site", jira.baseURL,
            "--email", "bot@example.com", "--token-file", tokenFile, "--projects", "OPS"])
        #expect(connected.status == 0, "\(connected.stderr)")
        let storage: StorageClient = system.client(.storage)
        defer { storage.close() }
        var found: [Ticket] = []
        for _ in 0..<600 where found.isEmpty {   // no wall-clock bound on success; give up after about a minute
            try await Task.sleep(nanoseconds: 100_000_000)
            found = (try? await storage.call(StorageContract.listTickets, .init(), metadata: Metadata(tenant: "ops")).items) ?? []
        }
        #expect(found.map(\.key) == ["OPS-1"])
        // Later ticks continue from the cursor.
        jira.put(.init(key: "OPS-2", project: "OPS", summary: "Certificate expires", created: Date()))
        for _ in 0..<600 where found.count < 2 {
            try await Task.sleep(nanoseconds: 100_000_000)
            found = (try? await storage.call(StorageContract.listTickets, .init(), metadata: Metadata(tenant: "ops")).items) ?? []
        }
        #expect(Set(found.map(\.key)) == ["OPS-1", "OPS-2"])
        #expect(jira.requests.filter { $0.path == "/rest/api/3/search/jql" }.contains { $0.query["jql"]?.contains("updated >=") == true })
        #expect(await system.stop() == 0)
    }
}
