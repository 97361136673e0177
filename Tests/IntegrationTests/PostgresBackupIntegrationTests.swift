import Foundation
import Harness
import Testing

/// Back up and restore the several-pods shape with PostgreSQL's own tools, as deploy/README.md says: `pg_dump` while
/// the system serves, `pg_restore` into an empty database, and a system started on it serves what was dumped.
@Suite(.serialized) struct PostgresBackupIntegrationTests {
    @Test func aDumpRestoredIntoAnEmptyDatabaseServesTheSameTickets() async throws {
        let server = try await PostgresServer.shared()
        let pods = SeveralPodsIntegrationTests()
        let source = try await onBlockingThread { try server.createDatabase() }
        let system = try await RunningSystem(environment: pods.environment(server, database: source))
        defer { system.directory.remove() }
        let api = GatewayIntegrationTests.Client(base: try #require(system.url))
        let admin = try await pods.token(system)
        let (imported, _) = try await api.call("POST", "/api/v1/import", token: admin, body: InstancesIntegrationTests.history())
        #expect(imported == 200)
        let (_, ranked) = try await api.call("POST", "/api/v1/tickets/OPS-100/recommendations", token: admin)
        let (_, before) = try await api.call("GET", "/api/v1/tickets?project=OPS&limit=100", token: admin)

        // Online dump, as an operator would take it while the system serves.
        let dump = system.directory.file("smart-ticket.dump")
        try await onBlockingThread { try server.client("pg_dump", ["--format=custom", "--file=\(dump)", "--dbname=\(source)"]) }
        _ = await system.stop()

        let target = try await onBlockingThread { try server.createDatabase() }
        try await onBlockingThread { try server.client("pg_restore", ["--no-owner", "--dbname=\(target)", dump]) }
        let restored = try await RunningSystem(environment: pods.environment(server, database: target))
        defer { restored.directory.remove() }
        let restoredAPI = GatewayIntegrationTests.Client(base: try #require(restored.url))
        let (_, after) = try await restoredAPI.call("GET", "/api/v1/tickets?project=OPS&limit=100", token: admin)
        let keys = { (page: [String: Any]) in (page["items"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String } }
        #expect(keys(after) == keys(before) && keys(after).count == 14)
        let (_, decisions) = try await restoredAPI.call("GET", "/api/v1/tickets/OPS-100/decisions", token: admin)
        #expect((decisions["items"] as? [Any])?.count == 1, "the recommendation made before the dump: \(decisions)")
        let (_, again) = try await restoredAPI.call("POST", "/api/v1/tickets/OPS-100/recommendations", token: admin)
        #expect(SeveralPodsIntegrationTests.firstCandidate(again) == SeveralPodsIntegrationTests.firstCandidate(ranked))
        _ = await restored.stop()
    }
}
