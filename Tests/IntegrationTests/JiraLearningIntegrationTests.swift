import Contracts
import Foundation
import Harness
import RPC
import Testing

/// Resolved means learned, at once, by every instance, when the resolution comes from Jira: by a sync or by a webhook.
/// Two scoring and two skills instances, each asked directly.
@Suite(.serialized) struct JiraLearningIntegrationTests {
    static let environment = JiraIntegrationTests.environment.merging(InstancesIntegrationTests.environment) { $1 }

    /// A system connected to the fake site and synced once, with every instance's memory of the tenant loaded.
    func connected() async throws -> (FakeJira, RunningSystem, InstanceFleet) {
        let jira = try JiraIntegrationTests.site()
        let system = try await RunningSystem(environment: Self.environment)
        let connected = try await JiraIntegrationTests().connect(system, jira, tenant: "acme")
        #expect(connected.status == 0, "\(connected.stderr)")
        let synced = try await JiraIntegrationTests().sync(system, tenant: "acme")
        #expect(synced.status == 0, "\(synced.stderr)")
        return (jira, system, InstanceFleet(system, tenant: "acme"))
    }

    /// Checks that no instance knows the words of `title` before, and that after `resolve` every one ranks `person`
    /// first for them and every skills instance learned something.
    func expectLearned(_ fleet: InstanceFleet, title: String, by person: String, _ resolve: () async throws -> Void) async throws {
        let before = try await fleet.rankings(title: "\(title) again", project: "ED")
        for instance in 0..<2 { #expect(before[instance].candidates.allSatisfy { $0.factors["similarWork"]?.value == 0 }) }
        let vocabularies = try await fleet.vocabularies()
        try await resolve()
        let after = try await fleet.rankings(title: "\(title) again", project: "ED")
        for instance in 0..<2 {
            #expect(after[instance].candidates.first?.person == person, "scoring instance \(instance): \(after[instance].candidates.map(\.person))")
            #expect((InstanceFleet.factor("similarWork", of: person, in: after[instance]) ?? 0) > 0)
        }
        let learned = try await fleet.vocabularies()
        for instance in 0..<2 { #expect(learned[instance] != vocabularies[instance], "skills instance \(instance) learned nothing") }
    }

    @Test func aTicketResolvedInJiraIsLearnedByEveryInstanceAtTheNextSync() async throws {
        let (jira, system, fleet) = try await connected()
        defer { jira.stop(); fleet.close(); system.directory.remove() }
        try await expectLearned(fleet, title: "glorp widget frobber", by: "acc-bo") {
            jira.put(.init(key: "ED-20", project: "ED", summary: "glorp widget frobber", description: "the glorp widget frobber is stuck",
                           assignee: "acc-bo", statusCategory: "done", created: JiraIntegrationTests.days(1), resolved: Date()))
            let synced = try await JiraIntegrationTests().sync(system, tenant: "acme")
            #expect(synced.status == 0, "\(synced.stderr)")
        }
        #expect(await system.stop() == 0)
    }

    @Test func aTicketResolvedByWebhookIsLearnedByEveryInstanceAtOnce() async throws {
        let (jira, system, fleet) = try await connected()
        defer { jira.stop(); fleet.close(); system.directory.remove() }
        let base = try #require(system.url)
        try await expectLearned(fleet, title: "plonk zeta gizmo", by: "acc-ana") {
            jira.put(.init(key: "ED-21", project: "ED", summary: "plonk zeta gizmo", description: "the plonk zeta gizmo broke",
                           assignee: "acc-ana", statusCategory: "done", created: JiraIntegrationTests.days(1), resolved: Date()))
            let open = JiraIntegrationTests.webhook("jira:issue_updated", jira, key: "ED-21", summary: "plonk zeta gizmo",
                                                    description: "the plonk zeta gizmo broke", assignee: "acc-ana", user: "acc-ana")
            // The same event, resolved.
            var event = try #require(try JSONSerialization.jsonObject(with: Data(open.utf8)) as? [String: Any])
            var issue = try #require(event["issue"] as? [String: Any])
            var fields = try #require(issue["fields"] as? [String: Any])
            fields["status"] = ["name": "Done", "statusCategory": ["key": "done"]]
            fields["resolutiondate"] = FakeJira.jiraDate(Date())
            issue["fields"] = fields
            event["issue"] = issue
            let body = String(decoding: try JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]), as: UTF8.self)
            let (status, answer) = try await JiraIntegrationTests.post(base, "/webhooks/jira?tenant=acme", body: body,
                                                                       signature: JiraIntegrationTests.signed(body))
            #expect(status == 200, "\(answer)")
        }
        #expect(await system.stop() == 0)
    }
}
