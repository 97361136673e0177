import Contracts
import Foundation
import Harness
import RPC
import Testing

/// `smart-ticket import` tells the truth: a file with a rejected line imports the good ones, lists what it rejected and
/// warned about, and exits non-zero; a second run of a fixed file adds the missing line and finds the rest unchanged.
@Suite(.serialized) struct ImportCommandIntegrationTests {
    @Test func aRejectedLineMakesTheImportFailAfterKeepingTheGoodOnes() async throws {
        let system = try await RunningSystem()
        defer { system.directory.remove() }
        let file = system.directory.file("history.jsonl")
        let good = #"{"key": "A-1", "project": "A", "title": "one", "created": "2024-01-02T10:00:00Z", "resolved": "2024-01-03T10:00:00Z", "assignee": "ana"}"#
        let done = #"{"key": "A-2", "project": "A", "title": "two", "created": "2024-01-02T10:00:00Z", "status": "done"}"#
        let bad = #"{"key": "A-3", "project": "A", "title": "three", "created": "2024-13-02T10:00:00Z"}"#
        FileManager.default.createFile(atPath: file, contents: Data([good, done, bad].joined(separator: "\n").utf8))
        let arguments = ["import", "--run-dir", system.runDirectory.path, "--tenant", "acme", "--quiet", file]
        let first = try await ProcessRunner.run(Executables.path("smart-ticket"), arguments)
        #expect(first.status == 1)
        #expect(first.stdout.contains("new: 2, updated: 0, unchanged: 0, rejected: 1, warnings: 1"), "\(first.stdout)")
        #expect(first.stdout.contains("line 3: rejected: created: month 13 does not exist (01 to 12)"), "\(first.stdout)")
        #expect(first.stdout.contains("line 2: warning: done without an assignee"), "\(first.stdout)")
        #expect(first.stderr.contains("1 of 3 lines were rejected (the others were imported)"), "\(first.stderr)")

        let fixed = bad.replacingOccurrences(of: "2024-13-02", with: "2024-12-02")
        FileManager.default.createFile(atPath: file, contents: Data([good, done, fixed].joined(separator: "\n").utf8))
        let second = try await ProcessRunner.run(Executables.path("smart-ticket"), arguments)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("new: 1, updated: 0, unchanged: 2, rejected: 0"), "\(second.stdout)")
        let storage: StorageClient = system.client(.storage)
        defer { storage.close() }
        #expect(try await storage.call(StorageContract.listTickets, .init(), metadata: Metadata(tenant: "acme")).items.map(\.key) == ["A-1", "A-2", "A-3"])
    }
}
