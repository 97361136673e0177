import Contracts
import Foundation
import Harness
import Testing

/// Real clients against a real gateway: the curl and Python standard-library examples in examples/,
/// and forwarded headers believed only from trusted proxies.
@Suite(.serialized) struct ClientsIntegrationTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples").path

    @Test func curlAndPythonClientsRecommendAndAssign() async throws {
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-data", OpenAPIClient.demoData])
        defer { system.directory.remove() }
        let api = try await OpenAPIClient.connect(system)
        let url = try #require(system.url)
        let member = try await OpenAPIClient.token(system, tenant: "demo", subject: "mo", role: "member", project: "ZK")
        let environment = ["SMART_TICKET_URL": url, "SMART_TICKET_TOKEN": member]

        let python = try await ProcessRunner.run("/usr/bin/env", ["python3", "\(Self.examples)/python/smart_ticket.py", "assign-next", "--project", "ZK"],
                                                 environment: environment)
        #expect(python.status == 0, "\(python.stderr)")
        let curl = try await ProcessRunner.run("/usr/bin/env", ["bash", "\(Self.examples)/curl/assign-next.sh", "ZK"], environment: environment)
        #expect(curl.status == 0, "\(curl.stderr)")
        var assigned: [String] = []
        for output in [python.stdout, curl.stdout] {
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
            let key = try #require(summary["ticket"] as? String)
            let assignee = try #require(summary["assignee"] as? String)
            #expect(summary["mode"] as? String == "manual", "the client accepted the recommendation")
            #expect((summary["reasons"] as? [String])?.isEmpty == false)
            // The gateway agrees: the ticket is assigned and the decision is in the audit log.
            let ticket = try await api.call("GET", "/api/v1/tickets/\(key)", token: member)
            #expect(ticket.object["assignee"] as? String == assignee)
            let decisions = try await api.call("GET", "/api/v1/tickets/\(key)/decisions", token: member)
            #expect(decisions.items.last?["actor"] as? String == "mo")
            #expect((decisions.items.last?["reason"] as? String)?.hasPrefix("accepted the recommendation") == true)
            #expect(!output.contains(member), "the token is never printed")
            assigned.append(key)
        }
        #expect(Set(assigned).count == 2, "each client took the next unassigned ticket")

        let projects = try await ProcessRunner.run("/usr/bin/env", ["python3", "\(Self.examples)/python/smart_ticket.py", "projects"], environment: environment)
        #expect(projects.status == 0)
        #expect(projects.stdout.contains(#""key": "ZK""#))

        // Errors reach the user as the API's message, with a failing exit status.
        let viewer = try await OpenAPIClient.token(system, tenant: "demo", subject: "vera", role: "viewer", project: "ZK")
        for command in [["python3", "\(Self.examples)/python/smart_ticket.py", "assign-next", "--project", "ZK"],
                        ["bash", "\(Self.examples)/curl/assign-next.sh", "ZK"]] {
            let refused = try await ProcessRunner.run("/usr/bin/env", command, environment: ["SMART_TICKET_URL": url, "SMART_TICKET_TOKEN": viewer])
            #expect(refused.status == 1, "\(command[1])")
            #expect(refused.stderr.contains("403") && refused.stderr.contains("PERMISSION_DENIED"), "\(refused.stderr)")
        }
        let help = try await ProcessRunner.run("/usr/bin/env", ["bash", "\(Self.examples)/curl/assign-next.sh", "--help"])
        #expect(help.status == 0 && help.stdout.contains("Usage"))
        #expect(await system.stop() == 0)
    }

    @Test func forwardedHeadersAreBelievedOnlyFromTrustedProxies() async throws {
        for trusted in [true, false] {
            let system = try await RunningSystem(environment: trusted ? ["SMART_TICKET_HTTP_TRUSTED_PROXIES": "10.0.0.0/8,127.0.0.1"] : [:])
            defer { system.directory.remove() }
            let api = try await OpenAPIClient.connect(system)
            let headers = ["X-Forwarded-For": "198.51.100.23, 10.1.2.3", "X-Forwarded-Proto": "https"]
            let refused = try await api.call("GET", "/api/v1/projects", token: "not.a.token", headers: headers)
            #expect(refused.status == 401)
            let metrics = try await api.call("GET", "/metrics", token: nil, headers: headers)
            #expect(await system.stop() == 0)
            let refusal = try #require(system.log.split(separator: "\n").first { $0.contains("token refused") }, "\(system.log.suffix(2000))")
            if trusted {
                #expect(refusal.contains(#""client":"198.51.100.23""#), "\(refusal)")
                #expect(metrics.text.contains(#"smart_ticket_http_requests_by_scheme_total{scheme="https"}"#))
            } else {
                #expect(refusal.contains(#""client":"127.0.0.1""#), "\(refusal)")
                #expect(!system.log.contains("198.51.100.23"), "a forged header never reaches the logs")
                #expect(!metrics.text.contains(#"scheme="https""#))
            }
        }
    }
}
