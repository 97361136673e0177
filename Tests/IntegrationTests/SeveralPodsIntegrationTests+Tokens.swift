import Foundation
import Harness
import Testing

/// A revoked token fails at once everywhere: two pods (each a launcher with its own gateway and storage) share one
/// PostgreSQL; a token made through pod A's API works on pod B, is revoked through A, and B's very next request with it
/// is 401, with no wait and no cache to expire. In ``SeveralPodsIntegrationTests`` (serialized): two tests that each
/// start two systems at once would each hold one of the harness's two system slots and wait for the other forever.
extension SeveralPodsIntegrationTests {
    @Test func aTokenRevokedOnOnePodIsRefusedAtOnceByTheOther() async throws {
        let pods = self
        let server = try await PostgresServer.shared()
        let database = try await onBlockingThread { try server.createDatabase() }
        let environment = pods.environment(server, database: database)
        async let startA = RunningSystem(environment: environment)
        async let startB = RunningSystem(environment: environment)
        let (podA, podB) = try await (startA, startB)
        defer { podA.directory.remove(); podB.directory.remove() }
        let apiA = GatewayIntegrationTests.Client(base: try #require(podA.url))
        let apiB = GatewayIntegrationTests.Client(base: try #require(podB.url))
        let admin = try await pods.token(podA)
        #expect(try await apiA.call("POST", "/api/v1/import", token: admin, body: InstancesIntegrationTests.history()).0 == 200)

        let (made, answer) = try await apiA.call("POST", "/api/v1/tokens", token: admin,
                                                 body: #"{"name": "dashboard", "ttl": "1h", "roles": {"OPS": "viewer"}}"#)
        #expect(made == 201, "\(answer)")
        let token = try #require(answer["token"] as? String), id = try #require(answer["id"] as? String)
        // Used on pod B, over and over, so pod B has verified and remembered it.
        for _ in 0..<3 { #expect(try await apiB.call("GET", "/api/v1/tickets?project=OPS&limit=1", token: token).0 == 200) }
        let (_, listed) = try await apiB.call("GET", "/api/v1/tokens", token: admin)
        #expect((listed["items"] as? [[String: Any]])?.contains { $0["id"] as? String == id } == true)

        #expect(try await apiA.call("DELETE", "/api/v1/tokens/\(id)", token: admin).0 == 204)
        // The very next request on B: refused.
        #expect(try await apiB.call("GET", "/api/v1/tickets?project=OPS&limit=1", token: token).0 == 401)
        #expect(try await apiA.call("GET", "/api/v1/tickets?project=OPS&limit=1", token: token).0 == 401)
        #expect(podB.log.contains(#""reason":"revoked""#))
        // The admin's own token is untouched on both.
        #expect(try await apiB.call("GET", "/api/v1/tokens", token: admin).0 == 200)

        // The command line's revocation through pod B's socket holds on pod A at once, for a token never registered.
        let offline = try await ProcessRunner.run(Executables.path("smart-ticket"), [
            "token", "create", "--data-dir", podA.directory.file("data"), "--tenant", "acme", "--subject", "bot", "--role", "viewer", "--ttl", "1h"],
            environment: ["SMART_TICKET_JWT_SECRET": SeveralPodsIntegrationTests.secret])
        let offlineToken = offline.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let offlineID = try #require(offline.stderr.firstMatch(of: /token id: ([0-9a-f]{32})/)?.output.1).description
        #expect(try await apiA.call("GET", "/api/v1/projects", token: offlineToken).0 == 200)
        let revoked = try await ProcessRunner.run(Executables.path("smart-ticket"), [
            "token", "revoke", "--run-dir", podB.runDirectory.path, "--tenant", "acme", "--id", offlineID])
        #expect(revoked.status == 0, "\(revoked.stderr)")
        #expect(try await apiA.call("GET", "/api/v1/projects", token: offlineToken).0 == 401)

        _ = await podA.stop()
        _ = await podB.stop()
        try? await onBlockingThread { try server.dropDatabase(database) }
    }
}
