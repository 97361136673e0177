import Foundation
import Harness
import Testing

/// Overrides are learned at once: assigning a ticket to someone other than the recommendation lowers the
/// overridden person for that kind of ticket in the next ranking, without restarting anything.
@Suite(.serialized) struct OverrideLearningIntegrationTests {
    @Test func anOverrideLowersTheOverriddenPersonForThatTicket() async throws {
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-data", GatewayIntegrationTests.demo])
        defer { system.directory.remove() }
        let api = GatewayIntegrationTests.Client(base: try #require(system.url))
        let member = try await GatewayIntegrationTests().token(system, tenant: "demo", subject: "mo", role: "member")

        let (status, before) = try await api.call("POST", "/api/v1/tickets/ZK-1200/recommendations", token: member)
        #expect(status == 200, "\(before)")
        let candidates = try #require(before["candidates"] as? [[String: Any]])
        #expect(candidates.count >= 2)
        let top = try #require((candidates[0]["person"] as? [String: Any])?["id"] as? String)
        let other = try #require((candidates[1]["person"] as? [String: Any])?["id"] as? String)
        let similarBefore = try #require(Self.factor("similarWork", of: top, in: before))
        #expect(similarBefore > 0)

        let (assigned, decision) = try await api.call("POST", "/api/v1/tickets/ZK-1200/assignment", token: member,
                                                      body: #"{"assignee":"\#(other)","reason":"knows this area"}"#)
        #expect(assigned == 200, "\(decision)")
        #expect(decision["mode"] as? String == "override")

        let (again, after) = try await api.call("POST", "/api/v1/tickets/ZK-1200/recommendations", token: member)
        #expect(again == 200)
        let similarAfter = try #require(Self.factor("similarWork", of: top, in: after))
        #expect(similarAfter < similarBefore, "overridden \(top): similarWork \(similarBefore) -> \(similarAfter)")
        #expect(await system.stop() == 0)
    }

    /// The value of `factor` for `person` in a recommendation answer.
    static func factor(_ factor: String, of person: String, in answer: [String: Any]) -> Double? {
        let candidate = (answer["candidates"] as? [[String: Any]])?.first { ($0["person"] as? [String: Any])?["id"] as? String == person }
        return ((candidate?["factors"] as? [String: Any])?[factor] as? [String: Any])?["value"] as? Double
    }
}
