import Foundation
import Harness
import Testing

/// Metrics worth scraping: besides latency, what the system did (recommendations, assignments by how, detections by
/// source, imports, Jira syncs) and how its processes fare (restarts, up), every series present from the start.
@Suite(.serialized) struct MetricsIntegrationTests {
    static func value(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test func theMetricsCountWhatTheSystemDid() async throws {
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-data", GatewayIntegrationTests.demo])
        defer { system.directory.remove() }
        let base = try #require(system.url)
        let admin = try await GatewayIntegrationTests().token(system, tenant: "demo", subject: "ada", role: "admin")
        let api = GatewayIntegrationTests.Client(base: base)
        let line = #"{"key": "ZK-5000", "project": "ZK", "title": "metrics", "created": "2026-01-02T10:00:00Z"}"#
        let (imported, _) = try await api.call("POST", "/api/v1/import", token: admin, body: line + "\n" + line.replacingOccurrences(of: "2026-01", with: "2026-13"))
        #expect(imported == 200)

        let text = try await httpGet(base + "metrics").body
        // The demo's activity: 12 recommendations through the API, 9 assignments, some of them overrides.
        #expect(Self.value(text, "smart_ticket_recommendations_total") ?? 0 >= 12, "\(text.prefix(2000))")
        let manual = Self.value(text, #"smart_ticket_assignments_total{mode="manual"}"#) ?? -1
        let overrides = Self.value(text, #"smart_ticket_assignments_total{mode="override"}"#) ?? -1
        #expect(manual + overrides == 9 && overrides > 0, "manual \(manual), override \(overrides)")
        #expect(Self.value(text, #"smart_ticket_assignments_total{mode="auto"}"#) == 0, "present before the first one")
        #expect(Self.value(text, #"smart_ticket_skill_detections_total{source="local"}"#) ?? 0 >= 1)
        #expect(Self.value(text, #"smart_ticket_skill_detections_total{source="local-fallback"}"#) == 0)
        #expect(Self.value(text, #"smart_ticket_imported_tickets_total{result="created"}"#) == 1)
        #expect(Self.value(text, #"smart_ticket_imported_tickets_total{result="rejected"}"#) == 1)
        #expect(Self.value(text, #"smart_ticket_jira_syncs_total{result="error"}"#) == 0)
        for service in ["storage", "skills", "scoring", "gateway"] {
            #expect(Self.value(text, #"smart_ticket_child_restarts{instance="0",service="\#(service)"}"#) == 0, "\(service)")
            #expect(Self.value(text, #"smart_ticket_child_up{instance="0",service="\#(service)"}"#) == 1, "\(service)")
        }
    }
}
