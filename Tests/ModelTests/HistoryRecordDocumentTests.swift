import Foundation
import Testing
import Model

/// docs/ticket-history.md describes the decoder as it is: its field table lists exactly the fields a
/// `HistoryRecord` has (taken from the type, not a copied list), says which are required as the decoder
/// decides it, and its example uses every field under the name the decoder reads.
@Suite struct HistoryRecordDocumentTests {
    static let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/ticket-history.md").path

    /// The fields of a record: its stored properties, which its `CodingKeys` name one for one.
    static let fields: [String] = Mirror(reflecting: HistoryRecord(key: "A-1", project: "A", title: "t", created: Date()))
        .children.compactMap(\.label)

    /// The rows of the document's "## Fields" table: field name to its "required" cell.
    static func table() throws -> [String: String] {
        let text = try String(contentsOfFile: document, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "\n## Fields\n").dropFirst().first?.components(separatedBy: "\n## ").first)
        var rows: [String: String] = [:]
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            rows[cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = cells[3]
        }
        return rows
    }

    /// The lines of the document's ```jsonl block.
    static func exampleLines() throws -> [String] {
        let text = try String(contentsOfFile: document, encoding: .utf8)
        let block = try #require(text.components(separatedBy: "```jsonl\n").dropFirst().first?.components(separatedBy: "\n```").first)
        return block.split(separator: "\n").map(String.init)
    }

    static func decode(_ object: [String: Any]) -> HistoryRecord? {
        guard let data = try? JSONSerialization.data(withJSONObject: object) else { return nil }
        return try? JSONDecoder().decode(HistoryRecord.self, from: data)
    }

    static func value(_ record: HistoryRecord, _ field: String) -> String {
        Mirror(reflecting: record).children.first { $0.label == field }.map { String(describing: $0.value) } ?? "?"
    }

    @Test func theFieldTableListsExactlyTheRecordsFields() throws {
        #expect(Self.fields.count == 12)
        let rows = try Self.table()
        #expect(Set(rows.keys) == Set(Self.fields), "documented \(rows.keys.sorted()), decoded \(Self.fields.sorted())")
    }

    /// For each field, an example line that sets it decodes, and without the field it either fails (a required
    /// field, and the table says "yes") or decodes to a different record (the decoder reads that name).
    @Test func theExampleUsesEveryFieldAndTheTableSaysWhichAreRequired() throws {
        let rows = try Self.table()
        let objects = try Self.exampleLines().map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
        #expect(objects.count >= 5 && objects.count <= 8)
        for object in objects { #expect(Self.decode(object) != nil, "\(object)") }
        for field in Self.fields {
            let setting = objects.filter { $0[field] != nil && !($0[field] is NSNull) }
            #expect(!setting.isEmpty, "the example never sets \(field)")
            var required = false
            var read = false
            for object in setting {
                var without = object
                without[field] = nil
                guard let reduced = Self.decode(without) else {
                    required = true
                    continue
                }
                if Self.value(reduced, field) != Self.value(Self.decode(object)!, field) { read = true }
            }
            #expect(required || read, "\(field): leaving it out of the example changes nothing")
            #expect((rows[field] == "yes") == required, "\(field): the table says required `\(rows[field] ?? "")`")
        }
    }
}
