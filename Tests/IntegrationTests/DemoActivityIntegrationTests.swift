import Foundation
import Harness
import Testing

/// `serve --demo` leaves a demo that is alive on any day: besides history dated up to today, someone near capacity,
/// someone on leave this week, open work across people, and recommendations taken, departed from and still waiting,
/// all made through the API so the decision log holds them as a team's would.
@Suite(.serialized) struct DemoActivityIntegrationTests {
    @Test func theDemoHasRecentActivityOnAnyDay() async throws {
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-data", GatewayIntegrationTests.demo])
        defer { system.directory.remove() }
        #expect(system.output.contains("Demo activity: 12 recommendations, 9 assignments"), "\(system.output)")
        // The token comes as a line to paste into a shell, which the printed curl example then uses.
        let exported = try #require(system.output.split(separator: "\n").first { $0.hasPrefix("export TOKEN=") }, "\(system.output)")
        #expect(exported.dropFirst("export TOKEN=".count).split(separator: ".").count == 3)
        #expect(system.output.contains(#"-H "Authorization: Bearer $TOKEN""#))
        let helper = GatewayIntegrationTests()
        let api = GatewayIntegrationTests.Client(base: try #require(system.url))
        let admin = try await helper.token(system, tenant: "demo", subject: "ada", role: "admin")

        let (status, log) = try await api.call("GET", "/api/v1/projects/ZK/decisions?limit=100", token: admin)
        #expect(status == 200)
        let decisions = try #require(log["items"] as? [[String: Any]])
        let modes = decisions.compactMap { $0["mode"] as? String }
        #expect(modes.filter { $0 == "suggested" }.count == 12)
        #expect(modes.filter { $0 == "manual" || $0 == "override" }.count == 9)
        #expect(modes.contains("override") && modes.contains("manual"))

        // Open work across people: someone holds three tickets against a capacity of four.
        let (_, people) = try await api.call("GET", "/api/v1/people?limit=500", token: admin)
        let list = try #require(people["items"] as? [[String: Any]])
        let busy = try #require(list.first { $0["weeklyCapacity"] as? Double == 4 }, "nobody near capacity")
        let busyID = try #require(busy["id"] as? String)
        let (_, open) = try await api.call("GET", "/api/v1/tickets?project=ZK&status=todo,in_progress&limit=100", token: admin)
        let holders = (open["items"] as? [[String: Any]] ?? []).compactMap { $0["assignee"] as? String }
        #expect(holders.filter { $0 == busyID }.count == 3, "\(holders)")
        #expect(Set(holders).count >= 3, "open work across people: \(holders)")

        // Someone is on leave this week (Monday to Friday of the current ISO week).
        let calendar = Calendar(identifier: .iso8601)
        let monday = try #require(calendar.dateInterval(of: .weekOfYear, for: Date())?.start)
        let format = DateFormatter()
        format.timeZone = TimeZone(identifier: "UTC")
        format.dateFormat = "yyyy-MM-dd"
        let leave = list.compactMap { $0["timeOff"] as? [[String: Any]] }.flatMap { $0 }
        #expect(leave.contains { $0["start"] as? String == format.string(from: monday) }, "\(leave)")
    }
}
