import Contracts
import Foundation
import Harness
import Observability
import RPC
import StorageService
import Testing
import Workflows

/// An import tells the truth: the same result whatever the batch size (a key repeated anywhere in the file keeps its
/// first line and rejects the others), rejected lines named with their reason, suspicious lines imported with a warning.
@Suite struct HistoryImporterTests {
    static let history = """
        {"key": "A-1", "project": "A", "title": "first", "created": "2024-01-02T10:00:00Z", "resolved": "2024-01-03T10:00:00Z", "assignee": "ana"}
        {"key": "A-2", "project": "A", "title": "resolved before created", "created": "2024-02-02T10:00:00Z", "resolved": "2024-02-01T10:00:00Z", "assignee": "bo"}
        {"key": "A-1", "project": "A", "title": "the same key again", "created": "2024-01-05T10:00:00Z"}
        {"key": "A-3", "project": "A", "title": "done by nobody", "created": "2024-03-02T10:00:00Z", "status": "done"}
        {"key": "A-4", "project": "A", "title": "bad month", "created": "2024-13-02T10:00:00Z"}
        {"key": "A-3", "project": "A", "title": "and again", "created": "2024-03-09T10:00:00Z"}
        """

    func importing(batch: Int) async throws -> HistoryImporter.Summary {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try Store(path: directory.file("db.sqlite"), logger: Logger(label: "test", sink: .discard))
        defer { store.close() }
        let storage = StorageClient(service: "storage", router: StorageServer.router(store), defaultTimeout: 60)
        return try await HistoryImporter(storage: storage, tenant: "acme").run(HistoryReader.parse(Data(Self.history.utf8)), batchSize: batch)
    }

    @Test func everyBatchSizeGivesTheSameImport() async throws {
        let whole = try await importing(batch: 1000)
        #expect(whole.created == 3)
        #expect(whole.rejected.map(\.line) == [3, 5, 6])
        #expect(whole.rejected[0].reason == "key: A-1 already appears on line 1; each ticket once per file (the first is kept)")
        #expect(whole.rejected[1].reason == "created: month 13 does not exist (01 to 12)")
        #expect(whole.rejected[2].reason == "key: A-3 already appears on line 4; each ticket once per file (the first is kept)")
        for batch in [1, 2, 3] {
            #expect(try await importing(batch: batch) == whole, "batch \(batch)")
        }
    }

    @Test func suspiciousLinesAreImportedWithAWarning() async throws {
        let summary = try await importing(batch: 1000)
        #expect(summary.warnings.map(\.line) == [2, 4])
        #expect(summary.warnings[0].reason == "resolved is before created: check both dates and their offsets")
        #expect(summary.warnings[1].reason == "done without an assignee: nobody learns from this ticket")
    }
}
