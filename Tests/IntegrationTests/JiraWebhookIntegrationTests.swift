import Contracts
import Crypto
import Foundation
import Harness
import RPC
import Testing

/// Jira webhooks are tenant-safe: each tenant's own secret opens only its deliveries, `issue.self` must be
/// on exactly the tenant's site (or the issue is fetched from it), and replays never roll a ticket back.
/// The real executables against fake Jira sites.
@Suite(.serialized) struct JiraWebhookIntegrationTests {
    static let secretA = "tenant-a-webhook-secret-0001"
    static let secretB = "tenant-b-webhook-secret-0002"
    static let legacy = "deprecated-shared-secret-0003"

    /// A site with project ED and two assignable people.
    static func site() throws -> FakeJira {
        let jira = try FakeJira(email: "bot@example.com", token: JiraIntegrationTests.token)
        jira.addProject("ED", name: "Example")
        jira.addUser("acc-ana", "Ana Lopez", assignableIn: ["ED"])
        jira.addUser("acc-bo", "Bo Chen", assignableIn: ["ED"])
        return jira
    }

    /// `smart-ticket jira connect` for `tenant`, with `--webhook-secret-file` holding `secret` when given.
    static func connect(_ system: RunningSystem, _ jira: FakeJira, tenant: String, secret: String?,
                        extra: [String] = []) async throws -> CommandResult {
        let tokenFile = system.directory.file("jira-token-\(tenant)")
        FileManager.default.createFile(atPath: tokenFile, contents: Data(JiraIntegrationTests.token.utf8), attributes: [.posixPermissions: 0o600])
        var arguments = ["jira", "connect", "--run-dir", system.runDirectory.path, "--tenant", tenant, "--site", jira.baseURL,
                         "--email", "bot@example.com", "--token-file", tokenFile, "--projects", "ED"] + extra
        if let secret {
            let secretFile = system.directory.file("webhook-secret-\(tenant)-\(Digest.randomIdentifier())")
            FileManager.default.createFile(atPath: secretFile, contents: Data("\(secret)\n".utf8), attributes: [.posixPermissions: 0o600])
            arguments += ["--webhook-secret-file", secretFile]
        }
        return try await ProcessRunner.run(Executables.path("smart-ticket"), arguments)
    }

    /// `smart-ticket jira sync`: creates the tenant's projects (webhooks store tickets only in known projects).
    static func sync(_ system: RunningSystem, tenant: String) async throws {
        let result = try await ProcessRunner.run(Executables.path("smart-ticket"), ["jira", "sync", "--run-dir", system.runDirectory.path,
                                                                                   "--tenant", tenant, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// A Jira Cloud webhook body; `link` is `issue.self` (nil leaves it out).
    static func event(_ event: String, key: String, summary: String, assignee: String? = nil, updated: Date, link: String?) -> String {
        let fields: [String: Any] = [
            "summary": summary, "description": "The postgres replica shows replication lag.",
            "project": ["id": "10000", "key": "ED", "name": "Example"],
            "status": ["name": "To Do", "statusCategory": ["key": "new"]],
            "priority": ["name": "High"], "labels": [], "components": [], "resolutiondate": NSNull(),
            "created": FakeJira.jiraDate(updated.addingTimeInterval(-3600)), "updated": FakeJira.jiraDate(updated),
            "assignee": assignee.map { ["accountId": $0, "displayName": $0, "active": true] } as Any? ?? NSNull(),
        ]
        var issue: [String: Any] = ["id": "20001", "key": key, "fields": fields]
        if let link { issue["self"] = link }
        let body: [String: Any] = ["timestamp": Int(updated.timeIntervalSince1970 * 1000), "webhookEvent": event,
                                   "user": ["accountId": "acc-bo", "displayName": "Bo Chen"], "issue": issue]
        return String(decoding: try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]), as: UTF8.self)
    }

    static func deliver(_ system: RunningSystem, tenant: String, _ body: String, secret: String?) async throws -> (Int, [String: Any]) {
        let base = try #require(system.url)
        return try await JiraIntegrationTests.post(base, "/webhooks/jira?tenant=\(tenant)", body: body,
                                                   signature: secret.map { JiraIntegrationTests.signed(body, secret: $0) })
    }

    static func message(_ answer: [String: Any]) -> String { (answer["error"] as? [String: String])?["message"] ?? "" }

    static func ticket(_ storage: StorageClient, tenant: String, _ key: String) async throws -> Ticket? {
        do {
            return try await storage.call(StorageContract.getTicket, .init(key), metadata: Metadata(tenant: tenant))
        } catch let error as RPCError where error.code == .notFound {
            return nil
        }
    }

    @Test func eachTenantsSecretOpensOnlyItsOwnDeliveries() async throws {
        let siteA = try Self.site()
        defer { siteA.stop() }
        let siteB = try Self.site()
        defer { siteB.stop() }
        var environment = JiraIntegrationTests.environment
        environment["SMART_TICKET_JIRA_WEBHOOK_SECRET"] = Self.legacy
        let system = try await RunningSystem(environment: environment)
        defer { system.directory.remove() }
        let storage: StorageClient = system.client(.storage)
        defer { storage.close() }
        let connectedA = try await Self.connect(system, siteA, tenant: "acme", secret: Self.secretA)
        #expect(connectedA.status == 0, "\(connectedA.stderr)")
        #expect(connectedA.stdout.contains("/webhooks/jira?tenant=acme") && !connectedA.stdout.contains(Self.secretA), "\(connectedA.stdout)")
        let connectedB = try await Self.connect(system, siteB, tenant: "beta", secret: Self.secretB)
        #expect(connectedB.status == 0, "\(connectedB.stderr)")
        try await Self.sync(system, tenant: "acme")
        try await Self.sync(system, tenant: "beta")

        // Tenant A's secret, a delivery naming tenant B and B's site: refused, and nothing is stored for B.
        let intoB = Self.event("jira:issue_created", key: "ED-1", summary: "Forged into beta", updated: Date(),
                               link: "\(siteB.baseURL)/rest/api/2/issue/20001")
        let (crossStatus, crossAnswer) = try await Self.deliver(system, tenant: "beta", intoB, secret: Self.secretA)
        #expect(crossStatus == 401)
        #expect((crossAnswer["error"] as? [String: String])?["code"] == "UNAUTHENTICATED")
        #expect(Self.message(crossAnswer).contains("tenant beta's webhook secret") && !Self.message(crossAnswer).contains("bearer"),
                "\(crossAnswer)")
        #expect(try await Self.ticket(storage, tenant: "beta", "ED-1") == nil)
        // The deprecated shared secret does not open a tenant that has its own.
        #expect(try await Self.deliver(system, tenant: "beta", intoB, secret: Self.legacy).0 == 401)
        #expect(try await Self.ticket(storage, tenant: "beta", "ED-1") == nil)
        // No signature at all: says what is missing.
        let (missingStatus, missingAnswer) = try await Self.deliver(system, tenant: "beta", intoB, secret: nil)
        #expect(missingStatus == 401 && Self.message(missingAnswer).contains("X-Hub-Signature is missing"), "\(missingAnswer)")
        // B's own secret opens it.
        siteB.put(.init(key: "ED-1", project: "ED", summary: "Forged into beta", created: Date()))
        let (ownStatus, ownAnswer) = try await Self.deliver(system, tenant: "beta", intoB, secret: Self.secretB)
        #expect(ownStatus == 200, "\(ownAnswer)")
        #expect(try await Self.ticket(storage, tenant: "beta", "ED-1")?.title == "Forged into beta")

        // An unknown tenant: refused whichever secret signed it, and the answer says what to do.
        let (unknownStatus, unknownAnswer) = try await Self.deliver(system, tenant: "nobody", intoB, secret: Self.secretA)
        #expect(unknownStatus == 401 && Self.message(unknownAnswer).contains("tenant nobody"), "\(unknownAnswer)")
        #expect(try await Self.deliver(system, tenant: "nobody", intoB, secret: Self.secretB).0 == 401)

        // Rotation: connecting again with a new secret file replaces the secret at once.
        let rotated = "tenant-a-rotated-secret-0004"
        let reconnected = try await Self.connect(system, siteA, tenant: "acme", secret: rotated)
        #expect(reconnected.status == 0 && reconnected.stdout.contains("Webhook secret replaced"), "\(reconnected.stdout)")
        siteA.put(.init(key: "ED-2", project: "ED", summary: "After rotation", created: Date()))
        let intoA = Self.event("jira:issue_created", key: "ED-2", summary: "After rotation", updated: Date(),
                               link: "\(siteA.baseURL)/rest/api/2/issue/20002")
        #expect(try await Self.deliver(system, tenant: "acme", intoA, secret: Self.secretA).0 == 401)
        #expect(try await Self.deliver(system, tenant: "acme", intoA, secret: rotated).0 == 200)

        // The secrets are never logged.
        let log = system.log
        #expect(!log.contains(Self.secretA) && !log.contains(Self.secretB) && !log.contains(rotated) && !log.contains(Self.legacy))
        #expect(log.contains("jira.webhookSecret is deprecated"))
        #expect(await system.stop() == 0)
    }

    @Test func issueSelfMustBeOnExactlyTheTenantsSite() async throws {
        let jira = try Self.site()
        defer { jira.stop() }
        let system = try await RunningSystem(environment: JiraIntegrationTests.environment)
        defer { system.directory.remove() }
        let storage: StorageClient = system.client(.storage)
        defer { storage.close() }
        let connected = try await Self.connect(system, jira, tenant: "acme", secret: Self.secretA)
        #expect(connected.status == 0, "\(connected.stderr)")
        try await Self.sync(system, tenant: "acme")
        let port = jira.port   // the site is http://127.0.0.1:PORT
        let foreign = [
            "http://127.0.0.1:\(port == 1 ? 2 : 1)/rest/api/2/issue/20001",        // another port
            "https://127.0.0.1:\(port)/rest/api/2/issue/20001",                      // another scheme
            "http://127.0.0.1/rest/api/2/issue/20001",                               // the scheme's default port
            "http://127.0.0.1:\(port)@evil.example/rest/api/2/issue/20001",          // userinfo: the host is evil.example
            "http://bot:pw@127.0.0.1:\(port)/rest/api/2/issue/20001",                // userinfo on the right host
            "/rest/api/2/issue/20001",                                               // relative
            "//127.0.0.1:\(port)/rest/api/2/issue/20001",                            // scheme-relative
            "ftp://127.0.0.1:\(port)/rest/api/2/issue/20001",                        // another scheme again
        ]
        for link in foreign {
            let body = Self.event("jira:issue_created", key: "ED-5", summary: "Forged", updated: Date(), link: link)
            let (status, answer) = try await Self.deliver(system, tenant: "acme", body, secret: Self.secretA)
            #expect(status == 403, "\(link): \(status) \(answer)")
            #expect(Self.message(answer).contains("issue.self is not on tenant acme's Jira site"), "\(answer)")
        }
        #expect(try await Self.ticket(storage, tenant: "acme", "ED-5") == nil)
        #expect(!jira.requests.contains { $0.path.hasPrefix("/rest/api/3/issue/ED-5") })

        // The exact site is accepted as sent.
        let exact = Self.event("jira:issue_created", key: "ED-6", summary: "As sent", updated: Date(),
                               link: "http://127.0.0.1:\(port)/rest/api/2/issue/20006")
        let (exactStatus, exactAnswer) = try await Self.deliver(system, tenant: "acme", exact, secret: Self.secretA)
        #expect(exactStatus == 200, "\(exactAnswer)")
        #expect(try await Self.ticket(storage, tenant: "acme", "ED-6")?.title == "As sent")
        #expect(!jira.requests.contains { $0.path == "/rest/api/3/issue/ED-6" })

        // Without `self`, the issue is fetched from the tenant's site: what Jira says wins over what was sent.
        jira.put(.init(key: "ED-7", project: "ED", summary: "What Jira says", description: "The real description", assignee: "acc-ana",
                       created: Date()))
        let selfless = Self.event("jira:issue_created", key: "ED-7", summary: "Forged title", assignee: "acc-bo", updated: Date(), link: nil)
        let (fetchedStatus, fetchedAnswer) = try await Self.deliver(system, tenant: "acme", selfless, secret: Self.secretA)
        #expect(fetchedStatus == 200, "\(fetchedAnswer)")
        #expect(jira.requests.contains { $0.method == "GET" && $0.path == "/rest/api/3/issue/ED-7" })
        let fetched = try #require(try await Self.ticket(storage, tenant: "acme", "ED-7"))
        #expect(fetched.title == "What Jira says" && fetched.assignee == "acc-ana" && fetched.description == "The real description")
        // An issue the site does not have: 404, nothing stored.
        let missing = Self.event("jira:issue_created", key: "ED-404", summary: "Invented", updated: Date(), link: nil)
        let (missingStatus, missingAnswer) = try await Self.deliver(system, tenant: "acme", missing, secret: Self.secretA)
        #expect(missingStatus == 404, "\(missingAnswer)")
        #expect(try await Self.ticket(storage, tenant: "acme", "ED-404") == nil)
        #expect(await system.stop() == 0)
    }

    @Test func replaysAndRepeatedDeliveriesChangeNothing() async throws {
        let jira = try Self.site()
        defer { jira.stop() }
        let system = try await RunningSystem(environment: JiraIntegrationTests.environment)
        defer { system.directory.remove() }
        let storage: StorageClient = system.client(.storage)
        defer { storage.close() }
        let acme = Metadata(tenant: "acme")
        let connected = try await Self.connect(system, jira, tenant: "acme", secret: Self.secretA)
        #expect(connected.status == 0, "\(connected.stderr)")
        try await Self.sync(system, tenant: "acme")
        let link = "\(jira.baseURL)/rest/api/2/issue/20001"
        let first = Date().addingTimeInterval(-120)

        // Created: stored, with one recommendation (a suggestion: auto-assign is off).
        let created = Self.event("jira:issue_created", key: "ED-30", summary: "Old title", updated: first, link: link)
        let (createdStatus, createdAnswer) = try await Self.deliver(system, tenant: "acme", created, secret: Self.secretA)
        #expect(createdStatus == 200 && createdAnswer["action"] as? String == "recommended", "\(createdAnswer)")
        let decisionsAfterCreate = try await storage.call(StorageContract.listDecisions, .init(ticket: "ED-30"), metadata: acme).items
        #expect(decisionsAfterCreate.count == 1)

        // The same delivery again: nothing changes, no second decision.
        let (repeatStatus, repeatAnswer) = try await Self.deliver(system, tenant: "acme", created, secret: Self.secretA)
        #expect(repeatStatus == 200 && repeatAnswer["action"] as? String == "unchanged", "\(repeatAnswer)")
        #expect(try await storage.call(StorageContract.listDecisions, .init(ticket: "ED-30"), metadata: acme).items.count == 1)

        // A newer update: new title, assigned to Bo by a person.
        let update = Self.event("jira:issue_updated", key: "ED-30", summary: "New title", assignee: "acc-bo", updated: first.addingTimeInterval(60),
                                link: link)
        let (updateStatus, updateAnswer) = try await Self.deliver(system, tenant: "acme", update, secret: Self.secretA)
        #expect(updateStatus == 200, "\(updateAnswer)")
        var stored = try #require(try await Self.ticket(storage, tenant: "acme", "ED-30"))
        #expect(stored.title == "New title" && stored.assignee == "acc-bo")
        let decisionsAfterUpdate = try await storage.call(StorageContract.listDecisions, .init(ticket: "ED-30"), metadata: acme).items

        // The old signed event re-sent: answered, but it rolls nothing back.
        let (replayStatus, replayAnswer) = try await Self.deliver(system, tenant: "acme", created, secret: Self.secretA)
        #expect(replayStatus == 200 && replayAnswer["action"] as? String == "stale", "\(replayAnswer)")
        stored = try #require(try await Self.ticket(storage, tenant: "acme", "ED-30"))
        #expect(stored.title == "New title" && stored.assignee == "acc-bo")
        // The update delivered again: nothing changes, no new decision.
        let (againStatus, againAnswer) = try await Self.deliver(system, tenant: "acme", update, secret: Self.secretA)
        #expect(againStatus == 200 && againAnswer["action"] as? String == "unchanged", "\(againAnswer)")
        let decisionsAtEnd = try await storage.call(StorageContract.listDecisions, .init(ticket: "ED-30"), metadata: acme).items
        #expect(decisionsAtEnd.count == decisionsAfterUpdate.count)

        // The same delivery five times at once (a retry while the first is being answered): applied once.
        let burst = Self.event("jira:issue_created", key: "ED-31", summary: "Delivered five times at once", updated: Date(), link: link)
        let actions = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    let (status, answer) = try await Self.deliver(system, tenant: "acme", burst, secret: Self.secretA)
                    return "\(status) \(answer["action"] as? String ?? "\(answer)")"
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(actions.sorted() == ["200 recommended", "200 unchanged", "200 unchanged", "200 unchanged", "200 unchanged"], "\(actions)")
        #expect(try await storage.call(StorageContract.listDecisions, .init(ticket: "ED-31"), metadata: acme).items.count == 1)
        #expect(await system.stop() == 0)
    }

    @Test func connectWithoutASecretFilePrintsAGeneratedSecretOnce() async throws {
        let jira = try Self.site()
        defer { jira.stop() }
        var environment = JiraIntegrationTests.environment
        environment["SMART_TICKET_JIRA_WEBHOOK_SECRET"] = Self.legacy
        let system = try await RunningSystem(environment: environment)
        defer { system.directory.remove() }
        let storage: StorageClient = system.client(.storage)
        defer { storage.close() }
        let first = try await Self.connect(system, jira, tenant: "acme", secret: nil)
        #expect(first.status == 0, "\(first.stderr)")
        try await Self.sync(system, tenant: "acme")
        #expect(first.stdout.contains("URL:    https://YOUR-HOST/webhooks/jira?tenant=acme"), "\(first.stdout)")
        let secret = String(try #require(first.stdout.firstMatch(of: /secret: ([0-9a-f]{64})/)).1)
        // It opens the tenant's deliveries; the deprecated shared secret no longer does.
        jira.put(.init(key: "ED-40", project: "ED", summary: "Signed with the generated secret", created: Date()))
        let body = Self.event("jira:issue_created", key: "ED-40", summary: "Signed with the generated secret", updated: Date(),
                              link: "\(jira.baseURL)/rest/api/2/issue/20040")
        #expect(try await Self.deliver(system, tenant: "acme", body, secret: Self.legacy).0 == 401)
        let (status, answer) = try await Self.deliver(system, tenant: "acme", body, secret: secret)
        #expect(status == 200, "\(answer)")
        // Connecting again (another project list, say) keeps it and does not print it again.
        let again = try await Self.connect(system, jira, tenant: "acme", secret: nil, extra: ["--public-url", "https://tickets.example.com/"])
        #expect(again.status == 0 && again.stdout.contains("Webhook secret unchanged") && !again.stdout.contains(secret), "\(again.stdout)")
        #expect(again.stdout.contains("https://tickets.example.com/webhooks/jira?tenant=acme"), "\(again.stdout)")
        // A weak secret file is refused before anything changes; the stored secret stays.
        let weak = try await Self.connect(system, jira, tenant: "acme", secret: "short")
        #expect(weak.status != 0 && weak.stderr.contains("at least 16 bytes"), "\(weak.stderr)")
        #expect(try await Self.deliver(system, tenant: "acme", body, secret: secret).0 == 200)
        // --rotate-webhook-secret prints a new one, and the old one stops working.
        let rotated = try await Self.connect(system, jira, tenant: "acme", secret: nil, extra: ["--rotate-webhook-secret"])
        let newSecret = String(try #require(rotated.stdout.firstMatch(of: /secret: ([0-9a-f]{64})/)).1)
        #expect(newSecret != secret)
        #expect(try await Self.deliver(system, tenant: "acme", body, secret: secret).0 == 401)
        // Stored apart from the connection (which anything may read or print), and never logged.
        let connection = try #require(try await storage.call(StorageContract.getSetting, .init("jira.connection"),
                                                             metadata: Metadata(tenant: "acme")).value)
        #expect(!String(decoding: connection, as: UTF8.self).contains(newSecret))
        #expect(!system.log.contains(secret) && !system.log.contains(newSecret))

        // A tenant connected before per-tenant secrets (it has none): the deprecated shared secret still
        // opens its deliveries, but their content is not trusted: the issue is fetched from its site.
        _ = try await storage.call(StorageContract.putSetting, .init(key: "jira.webhookSecret", value: nil), metadata: Metadata(tenant: "acme"))
        jira.put(.init(key: "ED-41", project: "ED", summary: "What Jira says", created: Date()))
        let forged = Self.event("jira:issue_created", key: "ED-41", summary: "Forged with the shared secret", assignee: "acc-bo",
                                updated: Date(), link: "\(jira.baseURL)/rest/api/2/issue/20041")
        let (legacyStatus, legacyAnswer) = try await Self.deliver(system, tenant: "acme", forged, secret: Self.legacy)
        #expect(legacyStatus == 200, "\(legacyAnswer)")
        #expect(jira.requests.contains { $0.method == "GET" && $0.path == "/rest/api/3/issue/ED-41" })
        let ticket = try #require(try await Self.ticket(storage, tenant: "acme", "ED-41"))
        #expect(ticket.title == "What Jira says" && ticket.assignee == nil)
        #expect(system.log.contains("verified with the deprecated jira.webhookSecret"))
        #expect(await system.stop() == 0)
    }
}
