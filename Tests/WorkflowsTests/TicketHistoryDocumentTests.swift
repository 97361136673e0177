import Contracts
import Foundation
import Harness
import Observability
import RPC
import StorageService
import Testing
import Workflows

/// The example in docs/ticket-history.md (its ```jsonl block) goes through the real parser and importer into a real
/// store as the document says: seven tickets, none rejected, no warning; imported again, all unchanged.
@Suite struct TicketHistoryDocumentTests {
    static func example() throws -> Data {
        let text = try String(contentsOf: TestFixtures.repositoryRoot.appendingPathComponent("docs/ticket-history.md"), encoding: .utf8)
        let block = try #require(text.components(separatedBy: "```jsonl\n").dropFirst().first?.components(separatedBy: "\n```").first,
                                 "docs/ticket-history.md has a ```jsonl block")
        return Data((block + "\n").utf8)
    }

    @Test func theDocumentedExampleImportsCleanly() async throws {
        let lines = HistoryReader.parse(try Self.example())
        #expect(lines.count == 7)
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try Store(path: directory.file("db.sqlite"), logger: Logger(label: "test", sink: .discard))
        defer { store.close() }
        let storage = StorageClient(service: "storage", router: StorageServer.router(store), defaultTimeout: 60)
        let importer = HistoryImporter(storage: storage, tenant: "acme")
        let first = try await importer.run(lines)
        #expect(first.rejected == [], "\(first.rejected)")
        #expect(first.warnings == [], "\(first.warnings)")
        #expect((first.created, first.updated, first.unchanged) == (7, 0, 0))
        let again = try await importer.run(lines)
        #expect((again.created, again.updated, again.unchanged, again.rejected.count) == (0, 0, 7, 0))
        // What the document says each line becomes: five tickets of history, one open and assigned, one waiting.
        let stored = try await storage.call(StorageContract.listTickets, .init(limit: 100), metadata: Metadata(tenant: "acme", principal: "test")).items
        #expect(stored.filter { $0.status == .done && $0.resolved != nil && $0.assignee != nil }.count == 5)
        let inProgress = try #require(stored.first { $0.key == "WEB-105" })
        #expect(inProgress.status == .inProgress && inProgress.assignee == "bo.chen" && inProgress.resolved == nil)
        let waiting = try #require(stored.first { $0.key == "WEB-106" })
        #expect(waiting.status == .todo && waiting.assignee == nil && waiting.resolved == nil)
        #expect(Set(stored.map(\.project)) == ["WEB", "OPS"])
    }
}
