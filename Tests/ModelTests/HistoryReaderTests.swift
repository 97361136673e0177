import Foundation
import Model
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Reading a history file: a regular file, a pipe (as `kubectl exec -i ... import - < file` gives one), and the
/// message when there is nothing to read.
struct HistoryReaderTests {
    static let line = #"{"key": "OPS-1", "project": "OPS", "title": "Disk full", "created": "2026-01-02T03:04:05Z", "status": "todo"}"#

    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("history-reader-\(UUID().uuidString)-\(name)").path
    }

    @Test func readsARegularFile() throws {
        let path = temporaryPath("tickets.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data((Self.line + "\n\nnot json\n").utf8).write(to: URL(fileURLWithPath: path))
        let lines = try HistoryReader.read(path: path)
        #expect(lines.map(\.number) == [1, 3])
        #expect((try? lines[0].result.get())?.key == "OPS-1")
        #expect(lines[1].result == .failure(.init(line: 3, reason: "malformed JSON")))
    }

    @Test func readsAPipeToItsEnd() throws {
        let path = temporaryPath("fifo")
        #expect(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        let writer = Thread {
            guard let handle = FileHandle(forWritingAtPath: path) else { return }
            handle.write(Data((Self.line + "\n" + Self.line.replacingOccurrences(of: "OPS-1", with: "OPS-2") + "\n").utf8))
            try? handle.close()
        }
        writer.start()
        let lines = try HistoryReader.read(path: path)
        #expect(lines.compactMap { try? $0.result.get().key } == ["OPS-1", "OPS-2"])
    }

    @Test func saysWhyAFileCannotBeRead() {
        let missing = #expect(throws: HistoryReader.Unreadable.self) { try HistoryReader.read(path: "/nonexistent/tickets.jsonl") }
        #expect(missing?.description == "cannot read /nonexistent/tickets.jsonl: no such file")
        let directory = FileManager.default.temporaryDirectory.path
        let notAFile = #expect(throws: HistoryReader.Unreadable.self) { try HistoryReader.read(path: directory) }
        #expect(notAFile?.description == "cannot read \(directory): it is a directory")
    }
}
