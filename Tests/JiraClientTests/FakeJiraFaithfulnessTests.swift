import Foundation
import Harness
import Testing

/// The fake Jira is only worth what it resembles: the real Python `jira` client (PyPI, installed by
/// scripts/install-deps) must be able to search it (nextPageToken paging), read an issue and assign one.
@Suite struct FakeJiraFaithfulnessTests {
    @Test func thePythonJiraClientSearchesGetsAndAssigns() async throws {
        let jira = try FakeJira(email: "bot@example.com", token: "api-token-123")
        defer { jira.stop() }
        jira.maxPageSize = 2
        jira.addProject("ED", name: "Example")
        jira.addUser("acc-bo", "Bo", assignableIn: ["ED"])
        let created = Date(timeIntervalSince1970: 1_704_189_600)
        for index in 1...5 {
            jira.put(.init(key: "ED-\(index)", project: "ED", summary: "Ticket \(index)", description: "Details \(index)",
                           statusCategory: index == 1 ? "indeterminate" : "new", created: created,
                           updated: created.addingTimeInterval(Double(index))))
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/drive_fake_jira.py").path
        let result = try await ProcessRunner.run("/usr/bin/env", ["python3", script, jira.baseURL, "bot@example.com", "api-token-123"])
        #expect(result.status == 0, "python jira client failed: \(result.stderr.suffix(2000))")
        let output = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(output["cloud"] as? Bool == true)
        #expect(output["keys"] as? [String] == ["ED-1", "ED-2", "ED-3", "ED-4", "ED-5"])
        #expect(output["summary"] as? String == "Ticket 1")
        #expect(output["status"] as? String == "indeterminate")
        #expect(output["assignee"] as? String == "acc-bo")
        #expect(jira.issue("ED-2")?.assignee == "acc-bo")
        let searches = jira.requests.filter { $0.path == "/rest/api/3/search/jql" }
        #expect(searches.count == 3)   // 5 issues, 2 per page, followed by nextPageToken
        #expect(jira.requests.contains { $0.method == "PUT" && $0.path.hasSuffix("/issue/ED-2/assignee") && $0.status == 204 && $0.body == #"{"accountId": "acc-bo"}"# })
    }
}
