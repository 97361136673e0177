import Foundation
import Harness
import Testing

/// API editing without traps: a project's settings change one field at a time (PATCH, JSON Merge Patch), and
/// `status=open` lists open work in the API as the panel's filter does.
@Suite(.serialized) struct SettingsPatchIntegrationTests {
    @Test func settingsChangeOneFieldAtATimeAndOpenListsOpenWork() async throws {
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-pristine", "--demo-data", GatewayIntegrationTests.demo])
        defer { system.directory.remove() }
        let api = GatewayIntegrationTests.Client(base: try #require(system.url))
        let helper = GatewayIntegrationTests()
        let admin = try await helper.token(system, tenant: "demo", subject: "ada", role: "admin")
        let member = try await helper.token(system, tenant: "demo", subject: "mo", role: "member")
        let (_, before) = try await api.call("GET", "/api/v1/projects/ZK/settings", token: admin)

        let (status, after) = try await api.call("PATCH", "/api/v1/projects/ZK/settings", token: admin, body: #"{"autoAssign": true}"#)
        #expect(status == 200)
        #expect(after["autoAssign"] as? Bool == true)
        #expect(after["staleDays"] as? Int == before["staleDays"] as? Int)
        #expect(after["candidatePool"] as? String == before["candidatePool"] as? String)

        let (_, weighted) = try await api.call("PATCH", "/api/v1/projects/ZK/settings", token: admin, body: #"{"weights": {"skillFit": 2}}"#)
        let weights = try #require(weighted["weights"] as? [String: Double])
        #expect(weights["skillFit"] == 2)
        #expect(weights["similarWork"] == (before["weights"] as? [String: Double])?["similarWork"], "the other weights stay")
        #expect(weighted["autoAssign"] as? Bool == true, "the earlier change stays")

        let (typo, refusal) = try await api.call("PATCH", "/api/v1/projects/ZK/settings", token: admin, body: #"{"autoAsign": true}"#)
        #expect(typo == 400)
        #expect(((refusal["error"] as? [String: Any])?["message"] as? String ?? "").contains("autoAsign"), "\(refusal)")
        let (invalid, _) = try await api.call("PATCH", "/api/v1/projects/ZK/settings", token: admin, body: #"{"staleDays": 0}"#)
        #expect(invalid == 400)
        let (notArray, _) = try await api.call("PATCH", "/api/v1/projects/ZK/settings", token: admin, body: #"[1]"#)
        #expect(notArray == 400)
        let (denied, _) = try await api.call("PATCH", "/api/v1/projects/ZK/settings", token: member, body: #"{"autoAssign": false}"#)
        #expect(denied == 403)

        let (openStatus, open) = try await api.call("GET", "/api/v1/tickets?project=ZK&status=open&limit=100", token: admin)
        #expect(openStatus == 200)
        let statuses = Set((open["items"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String })
        #expect(!statuses.isEmpty && statuses.isSubset(of: ["todo", "in_progress"]), "\(statuses)")
        let (bad, badBody) = try await api.call("GET", "/api/v1/tickets?project=ZK&status=closed", token: admin)
        #expect(bad == 400 && "\(badBody)".contains("open, todo, in_progress or done"))
    }
}
