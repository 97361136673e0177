import Foundation
import Harness
import Testing

/// Explain in Jira (a project setting, off by default): when SmartTicket assigns an issue in Jira, automatically or
/// by a person through SmartTicket, it comments the reasons on the issue as ADF; the fake site records the comments.
@Suite(.serialized) struct JiraExplanationIntegrationTests {
    typealias Jira = JiraIntegrationTests

    @Test func assignmentsAreExplainedOnTheIssueOnlyWhenTheProjectAsks() async throws {
        let jira = try Jira.site()
        defer { jira.stop() }
        let system = try await RunningSystem(environment: Jira.environment)
        defer { system.directory.remove() }
        let helper = JiraIntegrationTests()
        #expect(try await helper.connect(system, jira, tenant: "acme").status == 0)
        #expect(try await helper.sync(system, tenant: "acme").status == 0)
        let base = try #require(system.url)
        let admin = try await helper.adminToken(system, tenant: "acme")

        // Off by default: an assignment through SmartTicket writes the assignee and nothing else.
        let (quiet, _) = try await Jira.call(base, "POST", "/api/v1/tickets/ED-8/assignment", token: admin, body: #"{"assignee":"acc-bo"}"#)
        #expect(quiet == 200)
        #expect(jira.issue("ED-8")?.assignee == "acc-bo")
        #expect(jira.comments(of: "ED-8").isEmpty)
        #expect(!jira.requests.contains { $0.method == "POST" && $0.path.hasSuffix("/comment") })

        // On, with auto-assign: an arriving issue is assigned and explained.
        let settings = #"{"weights":{},"autoAssign":true,"confidenceThreshold":0,"staleDays":30,"candidatePool":"assignable","explainInJira":true}"#
        let (settingsStatus, saved) = try await Jira.call(base, "PUT", "/api/v1/projects/ED/settings", token: admin, body: settings)
        #expect(settingsStatus == 200)
        #expect(saved["explainInJira"] as? Bool == true, "\(saved)")
        jira.put(.init(key: "ED-11", project: "ED", summary: "PostgreSQL replica lag again", description: "replication lag", created: Date()))
        let created = Jira.webhook("jira:issue_created", jira, key: "ED-11", summary: "PostgreSQL replica lag again",
                                   description: "The postgres replica shows replication lag; SQL queries on the replica are stale.")
        let (createdStatus, answer) = try await Jira.post(base, "/webhooks/jira?tenant=acme", body: created, signature: Jira.signed(created))
        #expect(createdStatus == 200 && answer["action"] as? String == "assigned", "\(answer)")
        let automatic = try #require(jira.comments(of: "ED-11").first, "no comment on ED-11")
        #expect(jira.comments(of: "ED-11").count == 1)
        #expect(automatic.author == jira.serviceAccountId)
        #expect(automatic.text.hasPrefix("SmartTicket assigned this issue automatically. Why this assignee:"), "\(automatic.text)")
        let reasons = automatic.text.split(separator: "\n").dropFirst()
        #expect(!reasons.isEmpty && reasons.count <= 4, "\(automatic.text)")
        #expect(!automatic.text.contains("replication lag"), "the comment quotes no ticket text")
        let order = jira.requests.enumerated().filter { $0.element.path.hasPrefix("/rest/api/3/issue/ED-11/") && $0.element.method != "GET" }
        #expect(order.map(\.element.method) == ["PUT", "POST"], "the assignment first, then its explanation")

        // By a person through SmartTicket: explained as such.
        let (manual, _) = try await Jira.call(base, "POST", "/api/v1/tickets/ED-8/assignment", token: admin, body: #"{"assignee":"acc-ana"}"#)
        #expect(manual == 200)
        let byHand = try #require(jira.comments(of: "ED-8").first, "no comment on ED-8")
        #expect(byHand.text.hasPrefix("Assigned through SmartTicket. What SmartTicket knew of the assignee:"), "\(byHand.text)")
    }
}
