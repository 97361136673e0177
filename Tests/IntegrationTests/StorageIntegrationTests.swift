import Contracts
import Foundation
import Harness
import RPC
import Testing
import TestSupport
import Workflows

/// The real storage executable over its socket.
@Suite(.serialized) struct StorageIntegrationTests {
    typealias S = StorageContract

    private func seed(_ client: StorageClient, tenant: String, marker: String) async throws {
        let metadata = Metadata(tenant: tenant)
        _ = try await client.call(S.putTenant, .init(name: "Tenant \(tenant)"), metadata: metadata)
        _ = try await client.call(S.putProject, Project(key: "ENG", name: "Eng \(marker)"), metadata: metadata)
        let tickets = (1...20).map { index in
            Ticket(key: "ENG-\(index)", project: "ENG", title: "Ticket \(index) \(marker)", description: "about \(marker)",
                   components: ["core"], status: index % 2 == 0 ? .done : .todo, assignee: "\(tenant)-dev",
                   created: Date(timeIntervalSince1970: 1_700_000_000 + Double(index)))
        }
        let put = try await client.call(S.putTickets, .init(tickets: tickets), metadata: metadata)
        #expect(put.created == 20)
        _ = try await client.call(S.putPeople, .init(people: [Person(id: "\(tenant)-dev", displayName: "Dev \(marker)")]), metadata: metadata)
        _ = try await client.call(S.appendDecision, Decision(ticket: "ENG-1", project: "ENG", mode: .manual, chosen: "\(tenant)-dev",
                                                             actor: "\(tenant)-admin", reason: "because \(marker)"), metadata: metadata)
        _ = try await client.call(S.putRole, RoleAssignment(principal: "\(tenant)-admin", project: "*", role: .admin), metadata: metadata)
        _ = try await client.call(S.cachePut, .init(namespace: "skills", key: "h", value: Data(marker.utf8), ttlSeconds: 600), metadata: metadata)
        _ = try await client.call(S.putSetting, .init(key: "custom", value: Data(marker.utf8)), metadata: metadata)
        _ = try await client.call(S.putProfiles, .init(items: [SkillProfile(person: "\(tenant)-dev", skills: [marker: 1])]), metadata: metadata)
        try await client.call(S.putTicketSkills, .init(ticket: "ENG-1", skills: [DetectedSkill(name: marker, weight: 1, source: .taxonomy)], contentHash: "h"), metadata: metadata)
        _ = try await client.call(S.putSyncState, SyncState(project: "ENG", cursor: marker), metadata: metadata)
    }

    @Test func everyEntityRoundTripsThroughTheProcess() async throws {
        let storage = try await ServiceProcess(.storage)
        defer { storage.stop() }
        let client: StorageClient = storage.client()
        defer { client.close() }
        try await seed(client, tenant: "acme", marker: "ACME")
        let m = Metadata(tenant: "acme")
        #expect(try await client.call(S.getTenant, .init(), metadata: m).name == "Tenant acme")
        #expect(try await client.call(S.getProject, .init("ENG"), metadata: m).name == "Eng ACME")
        #expect(try await client.call(S.listProjects, .init(), metadata: m).items.count == 1)
        #expect(try await client.call(S.getTicket, .init("ENG-3"), metadata: m).title == "Ticket 3 ACME")
        #expect(try await client.call(S.listTickets, .init(status: [.todo]), metadata: m).items.count == 10)
        #expect(try await client.call(S.getPerson, .init("acme-dev"), metadata: m).displayName == "Dev ACME")
        #expect(try await client.call(S.listPeople, .init(), metadata: m).items.count == 1)
        #expect(try await client.call(S.listDecisions, .init(ticket: "ENG-1"), metadata: m).items.first?.reason == "because ACME")
        #expect(try await client.call(S.listRoles, .init(), metadata: m).items == [RoleAssignment(principal: "acme-admin", project: "*", role: .admin)])
        #expect(try await client.call(S.cacheGet, .init(namespace: "skills", key: "h"), metadata: m).value == Data("ACME".utf8))
        #expect(try await client.call(S.getSetting, .init("custom"), metadata: m).value == Data("ACME".utf8))
        #expect(try await client.call(S.listProfiles, .init(), metadata: m).items.first?.skills == ["ACME": 1])
        #expect(try await client.call(S.getTicketSkills, .init("ENG-1"), metadata: m).skills.first?.name == "ACME")
        #expect(try await client.call(S.getSyncState, .init("ENG"), metadata: m).cursor == "ACME")
        // No tenant in the metadata: refused, naming it.
        await #expect(throws: RPCError.invalidArgument("metadata `tenant` is required")) {
            _ = try await client.call(S.listProjects, .init())
        }
    }

    @Test func tenantsNeverSeeOrChangeEachOther() async throws {
        let storage = try await ServiceProcess(.storage)
        defer { storage.stop() }
        let client: StorageClient = storage.client()
        defer { client.close() }
        try await seed(client, tenant: "alpha", marker: "ALPHA")
        try await seed(client, tenant: "beta", marker: "BETA")
        let a = Metadata(tenant: "alpha")
        // Every read as alpha returns only alpha's rows, even for keys both tenants use.
        #expect(try await client.call(S.getTicket, .init("ENG-1"), metadata: a).title == "Ticket 1 ALPHA")
        let tickets = try await client.call(S.listTickets, .init(limit: 1000), metadata: a).items
        #expect(tickets.count == 20 && tickets.allSatisfy { $0.title.hasSuffix("ALPHA") })
        #expect(try await client.call(S.listPeople, .init(), metadata: a).items.map(\.id) == ["alpha-dev"])
        await #expect(throws: RPCError.notFound("person not found")) { _ = try await client.call(S.getPerson, .init("beta-dev"), metadata: a) }
        #expect(try await client.call(S.listDecisions, .init(), metadata: a).items.allSatisfy { $0.actor == "alpha-admin" })
        #expect(try await client.call(S.listRoles, .init(), metadata: a).items.map(\.principal) == ["alpha-admin"])
        #expect(try await client.call(S.listTickets, .init(assignee: "beta-dev"), metadata: a).items.isEmpty)
        // Writes as alpha aimed at beta's keys touch only alpha.
        await #expect(throws: RPCError.notFound("role not found")) {
            _ = try await client.call(S.deleteRole, .init(principal: "beta-admin", project: "*"), metadata: a)
        }
        _ = try await client.call(S.putTickets, .init(tickets: [Ticket(key: "ENG-1", project: "ENG", title: "overwritten", created: Date())]), metadata: a)
        let b = Metadata(tenant: "beta")
        #expect(try await client.call(S.getTicket, .init("ENG-1"), metadata: b).title == "Ticket 1 BETA")
        // Purging alpha leaves beta whole.
        _ = try await client.call(S.purgeTenant, .init(), metadata: a)
        #expect(try await client.call(S.listTickets, .init(limit: 1000), metadata: b).items.count == 20)
        #expect(try await client.call(S.listRoles, .init(), metadata: b).items.count == 1)
        await #expect(throws: RPCError.notFound("tenant not found")) { _ = try await client.call(S.getTenant, .init(), metadata: a) }
    }

    @Test func purgeLeavesNoByteOfTheTenantInTheFiles() async throws {
        let storage = try await ServiceProcess(.storage)
        defer { storage.stop() }
        let client: StorageClient = storage.client()
        defer { client.close() }
        let marker = "MARKER-\(UUID().uuidString)"
        try await seed(client, tenant: "gone", marker: marker)
        try await seed(client, tenant: "stays", marker: "KEEP")
        func filesContain(_ text: String) -> Bool {
            [storage.databasePath, storage.databasePath + "-wal"].contains { path in
                guard let data = FileManager.default.contents(atPath: path) else { return false }
                return data.range(of: Data(text.utf8)) != nil
            }
        }
        #expect(filesContain(marker))
        let purged = try await client.call(S.purgeTenant, .init(), metadata: Metadata(tenant: "gone"))
        #expect(purged.rowsDeleted > 20)
        #expect(!filesContain(marker))
        #expect(filesContain("KEEP"))
    }

    @Test func numpyHistoryImportsAndReimportChangesNothing() async throws {
        let storage = try await ServiceProcess(.storage)
        defer { storage.stop() }
        let client: StorageClient = storage.client(timeout: 120)
        defer { client.close() }
        let lines = try HistoryReader.read(path: TestFixtures.numpyHistory.path)
        #expect(lines.count == 19_415)
        let importer = HistoryImporter(storage: client, tenant: "numpy")
        let first = try await importer.run(lines)
        #expect(first.created == 19_415 && first.rejected.isEmpty)
        let second = try await importer.run(lines)
        #expect(second.created == 0 && second.updated == 0 && second.unchanged == 19_415)
    }

    @Test func malformedLinesAreReportedWithLineNumbersAndGoodOnesKept() async throws {
        let storage = try await ServiceProcess(.storage)
        defer { storage.stop() }
        let client: StorageClient = storage.client()
        defer { client.close() }
        let text = """
            {"key": "A-1", "project": "A", "title": "good one", "created": "2024-01-02T10:00:00+00:00", "status": "todo"}
            {"key": "A-2", "project": "A", "title": "bad date", "created": "yesterday"}
            not json at all

            {"key": "A-3", "project": "A", "title": "bad status", "created": "2024-01-02T10:00:00Z", "status": "closed"}
            {"key": "A-4", "project": "A", "title": "good two", "created": "2024-01-02T10:00:00.000+0000", "extra": {"ignored": true}}
            """
        let lines = HistoryReader.parse(Data(text.utf8))
        let summary = try await HistoryImporter(storage: client, tenant: "t").run(lines)
        #expect(summary.created == 2)
        #expect(summary.rejected.map(\.line) == [2, 3, 5])
        #expect(summary.rejected[0].reason.hasPrefix("created: 'yesterday' is not a date: expected YYYY-MM-DD"), "\(summary.rejected[0].reason)")
        #expect(summary.rejected[1].reason == "malformed JSON")
        #expect(summary.rejected[2].reason == "status: expected todo, in_progress or done")
    }
}
