import BinaryCodableDerivation
import Testing

/// What the DeriveBinaryCodable plugin reads from declarations and writes as conformances.
struct BinaryCodableSourceTests {
    static let source = #"""
        import Foundation

        /// A doc comment with { braces } and "quotes".
        public struct Ticket: Codable, Sendable {
            public enum Status: String, Codable { case todo, done }
            public struct Note: Codable {
                public var text: String
                public init(text: String) { self.text = text }
            }

            public var key: String
            /// Not a property: var fake: Int
            public let title: String
            public var labels: [String] = []   // default values are fine
            public var priority: String?
            public var status: Status
            public var notes: [String: Note]
            public var names: [String: String]?
            public static var shared: Int = 0
            public var computed: Int { labels.count }
            private let greeting = "{ not a scope"

            public init(key: String, title: String, labels: [String] = [], priority: String? = nil,
                        status: Status = .todo, notes: [String: Note] = [:]) {
                self.key = key
                self.title = title
                self.labels = labels
                self.priority = priority
                self.status = status
                self.notes = notes
            }

            public init(key: String) { self.init(key: key, title: "") }
        }

        extension Registry {
            public struct Entry: Codable {
                public var owner: Owner
                public init(owner: Owner) { self.owner = owner }
            }
            public struct Owner: Codable {
                public var id: String
                public init(id: String) { self.id = id }
            }
        }
        """#

    func declarations() -> SwiftDeclarations {
        var declarations = SwiftDeclarations()
        declarations.read(Self.source)
        return declarations
    }

    @Test func readsStoredPropertiesInOrderAndInitializers() throws {
        let ticket = try #require(declarations().structs["Ticket"])
        #expect(ticket.properties.map(\.name) == ["key", "title", "labels", "priority", "status", "notes", "names"])
        #expect(ticket.properties.map(\.type) == ["String", "String", "[String]", "String?", "Status", "[String: Note]", "[String: String]?"])
        #expect(ticket.properties.map(\.isLet) == [false, true, false, false, false, false, false])
        #expect(ticket.initializers.map { $0.parameters.map(\.label) } == [["key", "title", "labels", "priority", "status", "notes"], ["key"]])
        #expect(declarations().structs["Ticket.Note"]?.properties.map(\.name) == ["text"])
        #expect(declarations().types.isSuperset(of: ["Ticket", "Ticket.Status", "Ticket.Note", "Registry.Entry", "Registry.Owner"]))
    }

    @Test func writesEveryPropertyAndReadsThroughTheWidestInitializer() throws {
        let generated = try BinaryCodableSource.generate(list: "import Wire\nTicket\nvalue Ticket.Status  # a raw-value enum\n",
                                                         declarations: declarations())
        #expect(generated.contains("import Wire\n"))
        #expect(generated.contains("extension Ticket.Status: BinaryValue {}"))
        #expect(generated.contains("""
            extension Ticket: BinaryCodable {
                public func encode(to writer: inout BinaryKeyedWriter) {
                    writer.encode(key, forKey: "key")
                    writer.encode(title, forKey: "title")
                    writer.encode(labels, forKey: "labels")
                    writer.encodeIfPresent(priority, forKey: "priority")
                    writer.encode(status, forKey: "status")
                    writer.encode(notes, forKey: "notes")
                    writer.encodeIfPresent(names, forKey: "names")
                }

                public init(from reader: inout BinaryKeyedReader) throws {
                    try self.init(
                        key: reader.decode(String.self, forKey: "key"),
                        title: reader.decode(String.self, forKey: "title"),
                        labels: reader.decode([String].self, forKey: "labels"),
                        priority: reader.decodeIfPresent(String.self, forKey: "priority"),
                        status: reader.decode(Status.self, forKey: "status"),
                        notes: reader.decode([String: Note].self, forKey: "notes"))
                    names = try reader.decodeIfPresent([String: String].self, forKey: "names")
                }
            }
            """))
    }

    @Test func qualifiesTypesNestedInAnEnclosingType() throws {
        let generated = try BinaryCodableSource.generate(list: "Registry.Entry", declarations: declarations())
        #expect(generated.contains(#"owner: reader.decode(Registry.Owner.self, forKey: "owner"))"#))
    }

    @Test func refusesWhatItCannotDerive() {
        let unknown = #expect(throws: BinaryCodableSource.Failure.self) {
            try BinaryCodableSource.generate(list: "# comment\n\nMissing", declarations: declarations())
        }
        #expect(unknown?.description == "line 3: no struct Missing in the sources read")
        var withFixed = SwiftDeclarations()
        withFixed.read("public struct Fixed {\n public let a: Int\n public let b: Int\n public init(a: Int) { self.a = a; self.b = 0 }\n}")
        let fixed = #expect(throws: BinaryCodableSource.Failure.self) { try BinaryCodableSource.generate(list: "Fixed", declarations: withFixed) }
        #expect(fixed?.description == "Fixed: the let property b is not set by any initializer")
    }
}
