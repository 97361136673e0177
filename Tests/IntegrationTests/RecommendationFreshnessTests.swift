import Contracts
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Harness
import Testing

/// Recommendations rank from the scoring service's snapshot of the tenant; a change to a person or a
/// new open ticket must show in the very next recommendation (the snapshot follows storage's data version).
@Suite(.serialized) struct RecommendationFreshnessTests {
    typealias Client = GatewayIntegrationTests.Client

    /// The candidate's factor value, nil when the person is not among the candidates.
    private func factor(_ name: String, of person: String, in recommendation: [String: Any]) -> Double? {
        let candidates = recommendation["candidates"] as? [[String: Any]] ?? []
        guard let candidate = candidates.first(where: { ($0["person"] as? [String: Any])?["id"] as? String == person }) else { return nil }
        return (candidate["factors"] as? [String: [String: Double]])?[name]?["value"]
    }

    private func day(_ offset: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date().addingTimeInterval(Double(offset) * 86_400))
    }

    @Test func timeOffAndNewOpenWorkShowInTheNextRecommendation() async throws {
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-data", GatewayIntegrationTests.demo])
        defer { system.directory.remove() }
        let api = Client(base: try #require(system.url))
        let admin = try await GatewayIntegrationTests().token(system, tenant: "demo", subject: "alice", role: "admin")
        let (status, open) = try await api.call("GET", "/api/v1/tickets?project=ZK&status=todo&limit=1", token: admin)
        #expect(status == 200)
        let key = try #require((open["items"] as? [[String: Any]])?.first?["key"] as? String)
        let path = "/api/v1/tickets/\(key)/recommendations"

        let (firstStatus, first) = try await api.call("POST", path, token: admin)
        #expect(firstStatus == 200)
        let candidates = try #require(first["candidates"] as? [[String: Any]])
        try #require(candidates.count >= 2)
        let ids = candidates.compactMap { ($0["person"] as? [String: Any])?["id"] as? String }
        #expect(candidates.allSatisfy { ($0["person"] as? [String: Any])?["name"] is String })
        let (top, other) = (ids[0], ids[1])
        let available = try #require(factor("availability", of: top, in: first))
        try #require(available > 0)
        // Repeating without changes gives the same candidates (the snapshot is reused).
        let (_, again) = try await api.call("POST", path, token: admin)
        #expect((again["candidates"] as? [[String: Any]])?.compactMap { ($0["person"] as? [String: Any])?["id"] as? String } == ids)

        // Time off from yesterday for a month: the very next recommendation sees it.
        let timeOff = #"{"timeOff":[{"start":"\#(day(-1))","end":"\#(day(30))","reason":"leave"}]}"#
        let (patchStatus, _) = try await api.call("PATCH", "/api/v1/people/\(top)", token: admin, body: timeOff)
        #expect(patchStatus == 200)
        let (_, afterLeave) = try await api.call("POST", path, token: admin)
        #expect((factor("availability", of: top, in: afterLeave) ?? 0) < available, "time off must lower availability at once")

        // A new open ticket of 13 points for another candidate: the very next recommendation counts it.
        let workload = try #require(factor("workload", of: other, in: afterLeave))
        try #require(workload > 0)
        let ticket = #"{"key":"ZK-90001","project":"ZK","title":"Urgent follow-up","status":"in_progress","assignee":"\#(other)","storyPoints":13}"#
        let (createStatus, created) = try await api.call("POST", "/api/v1/tickets", token: admin, body: ticket)
        #expect(createStatus == 201, "\(created)")
        let (_, afterTicket) = try await api.call("POST", path, token: admin)
        #expect((factor("workload", of: other, in: afterTicket) ?? 0) < workload, "new open work must lower workload at once")
        #expect(await system.stop() == 0)
    }
}
