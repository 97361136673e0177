import Contracts
import Foundation
import Harness
import RPC
import Testing

/// Issue 18, item 6: a ticket that arrives through a Jira sync (no webhook) is recommended and assigned when its
/// project assigns automatically; a backfill never assigns the backlog, and a ticket is never ranked twice.
@Suite(.serialized) struct JiraArrivalIntegrationTests {
    @Test func aSyncAssignsArrivalsButNeverTheBacklog() async throws {
        let jira = try JiraIntegrationTests.site()
        defer { jira.stop() }
        let system = try await RunningSystem(environment: JiraIntegrationTests.environment)
        defer { system.directory.remove() }
        let storage: StorageClient = system.client(.storage)
        defer { storage.close() }
        let acme = Metadata(tenant: "acme")
        let helper = JiraIntegrationTests()
        #expect(try await helper.connect(system, jira, tenant: "acme").status == 0)
        #expect(try await helper.sync(system, tenant: "acme").status == 0)

        let admin = try await helper.adminToken(system, tenant: "acme")
        let settings = #"{"weights":{},"autoAssign":true,"confidenceThreshold":0,"staleDays":30,"candidatePool":"assignable"}"#
        let base = try #require(system.url)
        #expect(try await JiraIntegrationTests.call(base, "PUT", "/api/v1/projects/ED/settings", token: admin, body: settings).0 == 200)

        // A backfill again (--full) with auto-assign on: the open, unassigned ED-8 stays unassigned.
        let full = try await ProcessRunner.run(Executables.path("smart-ticket"), ["jira", "sync", "--run-dir", system.runDirectory.path,
                                                                                 "--tenant", "acme", "--full"])
        #expect(full.status == 0, "\(full.stderr)")
        #expect(try await storage.call(StorageContract.getTicket, .init("ED-8"), metadata: acme).assignee == nil)
        #expect(try await storage.call(StorageContract.listDecisions, .init(ticket: "ED-8"), metadata: acme).items.isEmpty)
        #expect(!jira.requests.contains { $0.method == "PUT" })

        // A ticket created in Jira since: the next sync assigns it, in Jira too, once.
        jira.put(.init(key: "ED-20", project: "ED", summary: "PostgreSQL replication lag after the failover",
                       description: "The postgres replica lags; SQL reads are stale.", created: Date()))
        #expect(try await helper.sync(system, tenant: "acme").status == 0)
        let assigned = try await storage.call(StorageContract.getTicket, .init("ED-20"), metadata: acme)
        #expect(assigned.assignee == "acc-ana", "\(assigned)")
        #expect(jira.issue("ED-20")?.assignee == "acc-ana")
        #expect(try await storage.call(StorageContract.listDecisions, .init(ticket: "ED-20"), metadata: acme).items.map(\.mode) == [.auto])
        #expect(try await helper.sync(system, tenant: "acme").status == 0)
        #expect(try await storage.call(StorageContract.listDecisions, .init(ticket: "ED-20"), metadata: acme).items.count == 1)
        #expect(jira.requests.filter { $0.method == "PUT" }.map(\.path) == ["/rest/api/3/issue/ED-20/assignee"])
        #expect(await system.stop() == 0)
    }
}
