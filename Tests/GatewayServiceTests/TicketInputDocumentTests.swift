import Foundation
import Harness
import Model
import Testing
@testable import GatewayService

/// What `POST /api/v1/tickets` and the import read is what the OpenAPI document and docs/ticket-history.md say:
/// the field lists are taken from the types (their stored properties, which are the JSON names), not copied.
@Suite struct TicketInputDocumentTests {
    static let root = TestFixtures.repositoryRoot

    /// The fields the route's body type reads.
    static var ticketInputFields: Set<String> {
        guard let input = try? JSONCoding.decode(TicketInput.self, from: Array(#"{"key": "A-1", "project": "A", "title": "t"}"#.utf8)) else { return [] }
        return Set(Mirror(reflecting: input).children.compactMap(\.label))
    }

    /// The fields a ticket-history line has.
    static var historyFields: Set<String> {
        Set(Mirror(reflecting: HistoryRecord(key: "A-1", project: "A", title: "t", created: Date())).children.compactMap(\.label))
    }

    static var schemaProperties: Set<String> {
        let schemas = (OpenAPIDocumentTests.document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let input = schemas?["TicketInput"] as? [String: Any]
        return Set((input?["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
    }

    @Test func theOpenAPISchemaHasExactlyTheFieldsTheRouteReads() {
        let read = Self.ticketInputFields
        #expect(read.count >= 13, "\(read.sorted())")
        #expect(Self.schemaProperties == read, "schema \(Self.schemaProperties.sorted()), decoder \(read.sorted())")
    }

    @Test func everyFieldOfAHistoryLineIsInTheSchemaAndTheDocument() throws {
        let history = Self.historyFields
        #expect(history.contains("resolved"))
        #expect(history.isSubset(of: Self.schemaProperties), "missing from TicketInput: \(history.subtracting(Self.schemaProperties).sorted())")
        let document = try String(contentsOf: Self.root.appendingPathComponent("docs/ticket-history.md"), encoding: .utf8)
        for field in history.union(Self.ticketInputFields).sorted() {
            #expect(document.contains("`\(field)`"), "docs/ticket-history.md does not name `\(field)`")
        }
    }

    /// A done ticket keeps the resolution date it is sent with (it was always "now"); other statuses have none.
    @Test func resolvedIsTakenForDoneTickets() throws {
        func ticket(_ body: String) throws -> Ticket { try JSONCoding.decode(TicketInput.self, from: Array(body.utf8)).ticket }
        let done = try ticket(#"{"key": "A-1", "project": "A", "title": "t", "status": "done", "created": "2025-03-03T09:12:00Z", "resolved": "2025-03-04T16:40:00+01:00"}"#)
        #expect(done.resolved == ISO8601.parse("2025-03-04T15:40:00Z"))
        let open = try ticket(#"{"key": "A-2", "project": "A", "title": "t", "status": "todo", "resolved": "2025-03-04T16:40:00Z"}"#)
        #expect(open.resolved == nil)
        let now = try ticket(#"{"key": "A-3", "project": "A", "title": "t", "status": "done"}"#)
        #expect(abs((now.resolved ?? .distantPast).timeIntervalSinceNow) < 60)
    }

    /// Every `docs/...md` the OpenAPI document points to is in the repository.
    @Test func everyDocumentTheOpenAPIDocumentNamesExists() {
        let text = String(decoding: OpenAPIDocument.bytes, as: UTF8.self)
        let paths = Set(text.matches(of: /docs\/[A-Za-z0-9_.\/-]+\.md/).map { String($0.output) })
        #expect(paths.contains("docs/ticket-history.md"))
        for path in paths.sorted() {
            #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(path).path), "\(path) is named by the OpenAPI document")
        }
    }
}
