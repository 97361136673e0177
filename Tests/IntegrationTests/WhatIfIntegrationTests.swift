import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Harness
import Testing

/// `POST /api/v1/whatif` end to end: gateway → scoring (replay over the stored resolved tickets) → storage.
@Suite(.serialized) struct WhatIfIntegrationTests {
    @Test func whatIfComparesWeightSetsOverTheProjectsHistory() async throws {
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-data", GatewayIntegrationTests.demo])
        defer { system.directory.remove() }
        let api = GatewayIntegrationTests.Client(base: try #require(system.url))
        let gateway = GatewayIntegrationTests()
        let member = try await gateway.token(system, tenant: "demo", subject: "mo", role: "member")
        let viewer = try await gateway.token(system, tenant: "demo", subject: "vera", role: "viewer")

        let body = #"{"project":"ZK","weights":[{"similarWork":1,"skillFit":0,"recentActivity":0},{"similarWork":0,"skillFit":0,"recentActivity":1}]}"#
        let (status, answer) = try await api.call("POST", "/api/v1/whatif", token: member, body: body)
        #expect(status == 200, "\(answer)")
        #expect(answer["tickets"] as? Int == 1175)   // the demo's resolved, assigned tickets
        #expect(answer["warnings"] as? [String] == [], "enough history: nothing to warn about")
        let results = try #require(answer["results"] as? [[String: Any]])
        #expect(results.count == 2)
        for result in results {
            let tested = try #require(result["testTickets"] as? Int)
            let inPool = try #require(result["inPool"] as? Int)
            #expect(inPool > 100 && inPool <= tested)
            #expect(result["coverage"] as? Double == (Double(inPool) / Double(tested) * 1000).rounded() / 1000)
            for metric in ["top1", "top3", "top5", "top10", "mrr", "loadGini", "meanSkillFit"] {
                let value = try #require(result[metric] as? Double, "\(metric)")
                #expect((0...1).contains(value), "\(metric) = \(value)")
            }
            #expect((result["top1"] as! Double) <= (result["top5"] as! Double))
        }
        let weights = results.compactMap { $0["weights"] as? [String: Double] }
        #expect(weights.map { $0["similarWork"] } == [1, 0])
        #expect(weights.map { $0["recentActivity"] } == [0, 1])
        #expect(weights.first?["workload"] == 0.3, "unnamed factors keep their defaults")
        // Similar work alone spreads first choices by expertise; recent activity alone piles them onto the most
        // active people: the two sets must not give identical figures.
        #expect(results[0]["loadGini"] as? Double != results[1]["loadGini"] as? Double
                || results[0]["top1"] as? Double != results[1]["top1"] as? Double)

        // Roles and bad input.
        let (viewerStatus, _) = try await api.call("POST", "/api/v1/whatif", token: viewer, body: body)
        #expect(viewerStatus == 403)
        let (unknownStatus, unknown) = try await api.call("POST", "/api/v1/whatif", token: member,
                                                          body: #"{"project":"ZK","weights":[{"bogus":1}]}"#)
        #expect(unknownStatus == 400)
        let message = (unknown["error"] as? [String: String])?["message"] ?? ""
        #expect(message.hasPrefix("weights[0].bogus"), "\(message)")
        let (negativeStatus, _) = try await api.call("POST", "/api/v1/whatif", token: member,
                                                     body: #"{"project":"ZK","weights":[{"skillFit":-1}]}"#)
        #expect(negativeStatus == 400)
        let (emptyStatus, _) = try await api.call("POST", "/api/v1/whatif", token: member, body: #"{"project":"ZK","weights":[]}"#)
        #expect(emptyStatus == 400)
        let (malformedStatus, malformed) = try await api.call("POST", "/api/v1/whatif", token: member, body: "{")
        #expect(malformedStatus == 400)
        #expect((malformed["error"] as? [String: String])?["code"] != nil)
        #expect(await system.stop() == 0)
    }
}
