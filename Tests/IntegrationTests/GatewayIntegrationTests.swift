import Contracts
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Harness
import Testing

/// The HTTP API end to end: real executables, real HTTP, tokens from the CLI.
@Suite(.serialized) struct GatewayIntegrationTests {
    static let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy/demo/tickets.jsonl").path

    struct Client {
        let base: String
        func call(_ method: String, _ path: String, token: String?, body: String? = nil) async throws -> (Int, [String: Any]) {
            var request = URLRequest(url: URL(string: base + path.dropFirst())!)
            request.httpMethod = method
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            if let body { request.httpBody = Data(body.utf8) }
            let (data, response) = try await URLSession.shared.data(for: request)
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return ((response as! HTTPURLResponse).statusCode, object)
        }
    }

    func token(_ system: RunningSystem, tenant: String, subject: String, role: String, project: String = "*") async throws -> String {
        let result = try await ProcessRunner.run(Executables.path("smart-ticket"), [
            "token", "create", "--data-dir", system.directory.file("data"), "--tenant", tenant, "--subject", subject,
            "--role", role, "--project", project, "--ttl", "1h"])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func recommendAssignAndAuditThroughHTTP() async throws {
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-pristine", "--demo-data", Self.demo])
        defer { system.directory.remove() }
        let api = Client(base: try #require(system.url))
        let admin = try await token(system, tenant: "demo", subject: "alice", role: "admin")
        let (status, open) = try await api.call("GET", "/api/v1/tickets?project=ZK&status=todo&limit=5", token: admin)
        #expect(status == 200)
        let items = try #require(open["items"] as? [[String: Any]])
        #expect(items.count == 5)
        let key = try #require(items.first?["key"] as? String)

        let (recommendStatus, recommendation) = try await api.call("POST", "/api/v1/tickets/\(key)/recommendations", token: admin)
        #expect(recommendStatus == 200)
        let candidates = try #require(recommendation["candidates"] as? [[String: Any]])
        #expect(!candidates.isEmpty)
        let first = candidates[0]
        let factors = try #require(first["factors"] as? [String: [String: Double]])
        #expect(Set(factors.keys) == ["skillFit", "similarWork", "workload", "availability", "fairness", "recentActivity"])
        #expect((first["reasons"] as? [String])?.isEmpty == false)
        let scores = candidates.compactMap { $0["score"] as? Double }
        #expect(scores == scores.sorted(by: >))
        #expect((recommendation["skills"] as? [[String: Any]])?.isEmpty == false, "the ticket's detected skills are part of the answer")
        let confidence = try #require(recommendation["confidence"] as? Double)
        #expect((0...1).contains(confidence))

        // Assigning someone else is recorded as an override.
        let other = try #require((candidates.last?["person"] as? [String: String])?["id"])
        let body = try String(decoding: JSONSerialization.data(withJSONObject: ["assignee": other, "reason": "on call"]), as: UTF8.self)
        let (assignStatus, decision) = try await api.call("POST", "/api/v1/tickets/\(key)/assignment", token: admin, body: body)
        #expect(assignStatus == 200)
        #expect(decision["mode"] as? String == (candidates.count > 1 ? "override" : "manual"))
        let (_, audit) = try await api.call("GET", "/api/v1/tickets/\(key)/decisions", token: admin)
        #expect((audit["items"] as? [[String: Any]])?.map { $0["mode"] as? String } == ["suggested", candidates.count > 1 ? "override" : "manual"])
        let (_, ticket) = try await api.call("GET", "/api/v1/tickets/\(key)", token: admin)
        #expect(ticket["assignee"] as? String == other)

        // Team metrics: load and throughput per person, skills only one person covers.
        let (metricsStatus, metrics) = try await api.call("GET", "/api/v1/metrics?project=ZK&weeks=104", token: admin)
        #expect(metricsStatus == 200)
        #expect(metrics["openTickets"] as? Int == 25)
        let people = try #require(metrics["people"] as? [[String: Any]])
        #expect(people.contains { ($0["id"] as? String) == other && ($0["openTickets"] as? Int) == 1 })
        #expect((metrics["skillCoverage"] as? [String: Int])?.isEmpty == false)
        let (missingStatus, _) = try await api.call("GET", "/api/v1/metrics", token: admin)
        #expect(missingStatus == 400)

        // Admins teach the detector the team's own words.
        let custom = #"{"items":[{"id":"ledger","name":"The Ledger","category":"domain","aliases":["the ledger","ledger service"]}]}"#
        let (putStatus, _) = try await api.call("PUT", "/api/v1/skills/custom", token: admin, body: custom)
        #expect(putStatus == 200)
        let (detectStatus, detected) = try await api.call("POST", "/api/v1/skills/detect", token: admin,
                                                          body: #"{"title":"Ledger service drops entries","description":"","components":[],"labels":[]}"#)
        #expect(detectStatus == 200)
        #expect((detected["skills"] as? [[String: Any]])?.contains { $0["name"] as? String == "ledger" } == true)
        let (badStatus0, _) = try await api.call("PUT", "/api/v1/skills/custom", token: admin, body: #"{"items":[{"id":"Bad Id!","name":"x","category":"domain","aliases":[]}]}"#)
        #expect(badStatus0 == 400)

        // Unknown assignee: a clear 400.
        let (badStatus, bad) = try await api.call("POST", "/api/v1/tickets/\(key)/assignment", token: admin, body: #"{"assignee":"nobody-here"}"#)
        #expect(badStatus == 400)
        #expect((bad["error"] as? [String: String])?["message"] == "assignee: unknown person")
        #expect(await system.stop() == 0)
    }

    @Test func rolesAndTenantsAreEnforced() async throws {
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-pristine", "--demo-data", Self.demo])
        defer { system.directory.remove() }
        let api = Client(base: try #require(system.url))
        let viewer = try await token(system, tenant: "demo", subject: "vera", role: "viewer")
        let member = try await token(system, tenant: "demo", subject: "mo", role: "member")
        let admin = try await token(system, tenant: "demo", subject: "ada", role: "admin")
        let otherProject = try await token(system, tenant: "demo", subject: "pat", role: "admin", project: "OTHER")
        let otherTenant = try await token(system, tenant: "intruder", subject: "eve", role: "admin")
        let key = "ZK-1200"
        let settings = #"{"weights":{"skillFit":2},"autoAssign":false,"confidenceThreshold":0.3,"staleDays":30,"candidatePool":"recent"}"#
        let cases: [(String, String, String?, String?, Int)] = [
            ("GET", "/api/v1/tickets/\(key)", viewer, nil, 200),
            ("GET", "/api/v1/tickets/\(key)", nil, nil, 401),
            ("GET", "/api/v1/tickets/\(key)", "not.a.token", nil, 401),
            ("GET", "/api/v1/tickets/\(key)", otherProject, nil, 404),
            ("GET", "/api/v1/tickets/\(key)", otherTenant, nil, 404),
            ("POST", "/api/v1/tickets/\(key)/recommendations", viewer, nil, 403),
            ("POST", "/api/v1/tickets/\(key)/recommendations", member, nil, 200),
            ("POST", "/api/v1/tickets/\(key)/recommendations", otherTenant, nil, 404),
            ("GET", "/api/v1/projects/ZK/settings", viewer, nil, 200),
            ("PUT", "/api/v1/projects/ZK/settings", member, settings, 403),
            ("PUT", "/api/v1/projects/ZK/settings", admin, settings, 200),
            ("PUT", "/api/v1/projects/ZK/settings", otherTenant, settings, 404),
            ("PUT", "/api/v1/projects/ZK/roles/zoe", member, #"{"role":"member"}"#, 403),
            ("PUT", "/api/v1/projects/ZK/roles/zoe", admin, #"{"role":"member"}"#, 200),
            ("DELETE", "/api/v1/projects/ZK/roles/zoe", admin, nil, 204),
            ("DELETE", "/api/v1/tenant", member, nil, 403),
            ("GET", "/api/v1/tickets?project=ZK", otherTenant, nil, 404),
        ]
        for (method, path, token, body, expected) in cases {
            let (status, _) = try await api.call(method, path, token: token, body: body)
            #expect(status == expected, "\(method) \(path) as \(token.map { String($0.prefix(12)) } ?? "nobody")")
        }
        // The other tenant sees no projects at all.
        let (_, projects) = try await api.call("GET", "/api/v1/projects", token: otherTenant)
        #expect((projects["items"] as? [Any])?.isEmpty == true)
        #expect(await system.stop() == 0)
    }
}
