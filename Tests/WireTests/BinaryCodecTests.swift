// Over 1,100 lines, kept together because its six suites share the private fixture types and helpers of its first 440 lines.
import Foundation
import Testing
import Wire

// MARK: - Fixtures

private struct Signal: Codable, Equatable {
    var name: String
    var weight: Double
    var source: String
}

private struct Ticket: Codable, Equatable {
    var key: String
    var project: String
    var title: String
    var description: String
    var components: [String]
    var labels: [String]
    var priority: String?
    var storyPoints: Double?
    var created: Date
    var signals: [Signal]
    var metadata: [String: String]

    static let sample = Ticket(
        key: "PAY-12345",
        project: "PAY",
        title: "Checkout times out under load — ünïcödé 🚀",
        description: String(repeating: "The checkout service times out when the provider is slow. ", count: 17),
        components: ["checkout", "payments"],
        labels: ["performance", "customer-facing", ""],
        priority: "High",
        storyPoints: 5.5,
        created: Date(timeIntervalSince1970: 1_732_000_000.25),
        signals: (0..<5).map { Signal(name: "signal-\($0)", weight: 0.1 * Double($0 + 1), source: "skills") },
        metadata: ["reporter": "alice", "team": "payments-core"]
    )
}

private extension Ticket {
    /// This ticket with each NaN (a mutated byte of a floating-point value can make one) replaced by -0.5,
    /// which the sample never has, so that `==` compares what was decoded.
    var withoutNaN: Ticket {
        func clean(_ value: Double) -> Double { value.isNaN ? -0.5 : value }
        var copy = self
        copy.storyPoints = storyPoints.map(clean)
        copy.created = Date(timeIntervalSinceReferenceDate: clean(created.timeIntervalSinceReferenceDate))
        for index in copy.signals.indices { copy.signals[index].weight = clean(copy.signals[index].weight) }
        return copy
    }
}

private struct Primitives: Codable, Equatable {
    var bool: Bool
    var int: Int
    var int8: Int8
    var int16: Int16
    var int32: Int32
    var int64: Int64
    var uint: UInt
    var uint8: UInt8
    var uint16: UInt16
    var uint32: UInt32
    var uint64: UInt64
    var float: Float
    var double: Double
    var string: String
}

private struct Point: Codable, Equatable {
    var x: Int
    var name: String
}

private struct Item: Codable, Equatable {
    var name: String
    var weight: Double
}

private struct Order: Codable, Equatable {
    var id: Int
    var items: [Item]
}

/// Encodes like `Item` but lets a weight be written as a string (to provoke a type mismatch).
private struct LooseItem: Encodable {
    enum Weight: Encodable {
        case number(Double)
        case text(String)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .number(let value): try container.encode(value)
            case .text(let value): try container.encode(value)
            }
        }
    }

    var name: String
    var weight: Weight?
}

private struct LooseOrder: Encodable {
    var id: Int
    var items: [LooseItem]
}

private enum Priority: String, Codable, Equatable {
    case low, high
}

private enum Level: Int, Codable, Equatable {
    case one = 1, two = 2
}

private enum Shape: Codable, Equatable {
    case circle(radius: Double)
    case rectangle(Double, Double)
    case labelled(name: String, Point)
    case empty
}

private struct Everything: Codable, Equatable {
    var priority: Priority
    var level: Level
    var shapes: [Shape]
    var byName: [String: Int]
    var byNumber: [Int: String]
    var byDouble: [Double: String]
    var nested: [[Int]]
    var tags: Set<String>
    var data: Data
    var emptyData: Data
    var bytes: [UInt8]
    var date: Date
    var url: URL
    var decimal: Decimal
    var optionalPoint: Point?
    var missing: String?
    var ints: [Int]
    var doubles: [Double]
    var uuid: UUID
}

private struct V1: Codable, Equatable {
    var id: Int
    var name: String
}

private struct V2: Codable, Equatable {
    var id: Int
    var name: String
    var note: String?
    var extra: [Point]?
}

/// Writes its keys in the reverse of declaration order.
private struct Reversed: Codable, Equatable {
    var a: Int
    var b: String
    var c: [Int]

    enum CodingKeys: String, CodingKey { case a, b, c }

    init(a: Int, b: String, c: [Int]) {
        self.a = a
        self.b = b
        self.c = c
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(c, forKey: .c)
        try container.encode(b, forKey: .b)
        try container.encode(a, forKey: .a)
    }
}

private struct InOrder: Codable, Equatable {
    var a: Int
    var b: String
    var c: [Int]
}

private struct Envelope: Codable, Equatable {
    var method: String
    var body: [UInt8]
}

private struct SmallInts: Codable {
    var small: Int8
}

private struct Unsigned: Codable {
    var value: UInt
}

private struct BigInt: Codable {
    var value: Int
}

/// Asks one encoder for two kinds of container.
private struct Misuse: Encodable {
    enum CodingKeys: String, CodingKey { case a }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(1, forKey: .a)
        var unkeyed = encoder.unkeyedContainer()
        try unkeyed.encode(2)
    }
}

private struct Failing: Encodable {
    struct Boom: Error {}

    enum CodingKeys: String, CodingKey { case x, y }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(1, forKey: .x)
        var nested = container.nestedUnkeyedContainer(forKey: .y)
        try nested.encode("partial")
        throw Boom()
    }
}

/// Swallows an error thrown while encoding one of its fields.
private struct Partial: Encodable {
    enum CodingKeys: String, CodingKey { case a, b, c }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(1, forKey: .a)
        _ = try? container.encode(Failing(), forKey: .b)
        try container.encode([Failing]?.none, forKey: .c)
        try container.encode("done", forKey: .c)
    }
}

private struct PartialResult: Decodable, Equatable {
    var a: Int
    var b: Int?
    var c: String
}

/// Nested unkeyed containers all the way down; used to check the depth limit.
private struct NestedArrays: Decodable {
    var depth: Int

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        var deepest = 0
        while !container.isAtEnd {
            deepest = max(deepest, try container.decode(NestedArrays.self).depth)
        }
        depth = deepest + 1
    }
}

private class Animal: Codable {
    var name: String
    init(name: String) { self.name = name }
}

/// Encodes its superclass through `superEncoder()`.
private final class Dog: Animal, Equatable {
    var breed: String

    enum CodingKeys: String, CodingKey { case breed }

    init(name: String, breed: String) {
        self.breed = breed
        super.init(name: name)
    }

    required init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        breed = try container.decode(String.self, forKey: .breed)
        try super.init(from: container.superDecoder())
    }

    override func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(breed, forKey: .breed)
        try super.encode(to: container.superEncoder())
    }

    static func == (lhs: Dog, rhs: Dog) -> Bool { lhs.name == rhs.name && lhs.breed == rhs.breed }
}

/// Shares its encoder with its superclass (one merged keyed container).
private final class Cat: Animal, Equatable {
    var lives: Int

    enum CodingKeys: String, CodingKey { case lives }

    init(name: String, lives: Int) {
        self.lives = lives
        super.init(name: name)
    }

    required init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        lives = try container.decode(Int.self, forKey: .lives)
        try super.init(from: decoder)
    }

    override func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(lives, forKey: .lives)
        try super.encode(to: encoder)
    }

    static func == (lhs: Cat, rhs: Cat) -> Bool { lhs.name == rhs.name && lhs.lives == rhs.lives }
}

/// Uses nested keyed and unkeyed containers by hand.
private struct Matrix: Codable, Equatable {
    var rows: [[Int]]
    var info: [String: String]

    enum CodingKeys: String, CodingKey { case rows, info }
    enum InfoKeys: String, CodingKey { case owner, kind }

    init(rows: [[Int]], info: [String: String]) {
        self.rows = rows
        self.info = info
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var rowsContainer = try container.nestedUnkeyedContainer(forKey: .rows)
        var rows: [[Int]] = []
        while !rowsContainer.isAtEnd {
            var row = try rowsContainer.nestedUnkeyedContainer()
            var values: [Int] = []
            while !row.isAtEnd { values.append(try row.decode(Int.self)) }
            rows.append(values)
        }
        self.rows = rows
        let infoContainer = try container.nestedContainer(keyedBy: InfoKeys.self, forKey: .info)
        var info: [String: String] = [:]
        for key in infoContainer.allKeys {
            info[key.stringValue] = try infoContainer.decode(String.self, forKey: key)
        }
        self.info = info
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var rowsContainer = container.nestedUnkeyedContainer(forKey: .rows)
        for row in rows {
            var rowContainer = rowsContainer.nestedUnkeyedContainer()
            for value in row { try rowContainer.encode(value) }
        }
        var infoContainer = container.nestedContainer(keyedBy: InfoKeys.self, forKey: .info)
        for (key, value) in info.sorted(by: { $0.key < $1.key }) {
            try infoContainer.encode(value, forKey: InfoKeys(rawValue: key)!)
        }
    }
}

// MARK: - Helpers

private func roundTrip<T: Codable>(_ value: T) throws -> T {
    let bytes = try BinaryEncoder().encode(value)
    return try BinaryDecoder().decode(T.self, from: bytes)
}

/// The `DecodingError` thrown when decoding `bytes` as `T`, or nil if none (or another error).
private func decodingError<T: Decodable>(_ type: T.Type, from bytes: [UInt8], maxDepth: Int = 64) -> DecodingError? {
    do {
        _ = try BinaryDecoder(maxDepth: maxDepth).decode(type, from: bytes)
        return nil
    } catch let error as DecodingError {
        return error
    } catch {
        return nil
    }
}

private extension DecodingError {
    var context: DecodingError.Context? {
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context),
             .keyNotFound(_, let context), .dataCorrupted(let context):
            return context
        @unknown default:
            return nil
        }
    }

    var path: [String] { context?.codingPath.map(\.stringValue) ?? [] }

    var isDataCorrupted: Bool {
        if case .dataCorrupted = self { return true }
        return false
    }

    var isTypeMismatch: Bool {
        if case .typeMismatch = self { return true }
        return false
    }
}

private func varint(_ value: UInt64) -> [UInt8] {
    var value = value
    var bytes: [UInt8] = []
    while value >= 0x80 {
        bytes.append(UInt8(value & 0x7F) | 0x80)
        value >>= 7
    }
    bytes.append(UInt8(value))
    return bytes
}

private func le32(_ value: Int) -> [UInt8] {
    let v = UInt32(value)
    return [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
}

/// A keyed container (tag 10) around pre-encoded entries.
private func keyed(_ entries: [(String, [UInt8])]) -> [UInt8] {
    var body = varint(UInt64(entries.count))
    for (key, value) in entries {
        body += varint(UInt64(key.utf8.count)) + Array(key.utf8) + value
    }
    return [10] + le32(body.count) + body
}

private func stringValue(_ string: String) -> [UInt8] {
    [7] + varint(UInt64(string.utf8.count)) + Array(string.utf8)
}

// MARK: - Round trips

@Suite("Binary codec round trips")
struct BinaryRoundTripTests {
    @Test func primitiveExtremes() throws {
        let values = [
            Primitives(bool: true, int: .max, int8: .max, int16: .max, int32: .max, int64: .max,
                       uint: .max, uint8: .max, uint16: .max, uint32: .max, uint64: .max,
                       float: .greatestFiniteMagnitude, double: .greatestFiniteMagnitude, string: "max"),
            Primitives(bool: false, int: .min, int8: .min, int16: .min, int32: .min, int64: .min,
                       uint: 0, uint8: 0, uint16: 0, uint32: 0, uint64: 0,
                       float: -.leastNonzeroMagnitude, double: -.leastNonzeroMagnitude, string: ""),
            Primitives(bool: true, int: -1, int8: -1, int16: 127, int32: 128, int64: -129,
                       uint: 127, uint8: 128, uint16: 300, uint32: 1 << 31, uint64: 1 << 63,
                       float: .infinity, double: -.infinity, string: "héllo wörld 👋🏽 中文 \u{0} end"),
        ]
        for value in values {
            #expect(try roundTrip(value) == value)
        }
    }

    @Test func signedZeroAndNaN() throws {
        let negativeZero = try roundTrip(-0.0)
        #expect(negativeZero == 0 && negativeZero.sign == .minus)
        let floatZero = try roundTrip(Float(-0.0))
        #expect(floatZero.sign == .minus)
        #expect(try roundTrip(Double.nan).isNaN)
        #expect(try roundTrip(Float.nan).isNaN)
        let signalling = try roundTrip(Double.signalingNaN)
        #expect(signalling.isNaN)
        #expect(try roundTrip([1.5, -0.0, .infinity]).map(\.sign) == [.plus, .minus, .plus])
    }

    @Test func int128Extremes() throws {
        for value in [Int128.min, Int128.max, 0, -1, Int128(Int64.min) - 1] {
            #expect(try roundTrip(value) == value)
        }
        for value in [UInt128.max, 0, UInt128(UInt64.max) + 1] {
            #expect(try roundTrip(value) == value)
        }
        // A 128-bit value does not fit a 64-bit integer.
        let big = try BinaryEncoder().encode(UInt128(UInt64.max) + 1)
        #expect(decodingError(UInt64.self, from: big)?.isDataCorrupted == true)
    }

    @Test func topLevelSingleValues() throws {
        #expect(try roundTrip("just a string") == "just a string")
        #expect(try roundTrip("") == "")
        #expect(try roundTrip(42) == 42)
        #expect(try roundTrip(true) == true)
        #expect(try roundTrip(["a", "b", ""]) == ["a", "b", ""])
        #expect(try roundTrip([String]()) == [])
        #expect(try roundTrip(["one": 1, "two": 2]) == ["one": 1, "two": 2])
        #expect(try roundTrip([String: Int]()) == [:])
        #expect(try roundTrip(Optional<Int>.none) == nil)
        #expect(try roundTrip(Optional(7)) == 7)
        #expect(try roundTrip([Int?.none, 3, nil]) == [nil, 3, nil])
        #expect(try roundTrip(Priority.high) == .high)
    }

    @Test func ticket() throws {
        let ticket = Ticket.sample
        let bytes = try BinaryEncoder().encode(ticket)
        #expect(try BinaryDecoder().decode(Ticket.self, from: bytes) == ticket)
        #expect(try BinaryDecoder().decode(Ticket.self, from: bytes[...]) == ticket)
        #expect(try bytes.withUnsafeBytes { try BinaryDecoder().decode(Ticket.self, from: $0) } == ticket)
    }

    @Test func optionalsPresentAndAbsent() throws {
        var ticket = Ticket.sample
        ticket.priority = nil
        ticket.storyPoints = nil
        let absent = try BinaryEncoder().encode(ticket)
        let present = try BinaryEncoder().encode(Ticket.sample)
        #expect(absent.count < present.count)
        #expect(try BinaryDecoder().decode(Ticket.self, from: absent) == ticket)
    }

    @Test func everything() throws {
        let value = Everything(
            priority: .high,
            level: .two,
            shapes: [.circle(radius: 2), .rectangle(3, 4), .labelled(name: "p", Point(x: -1, name: "q")), .empty],
            byName: ["a": 1, "b": -2, "": 0],
            byNumber: [1: "one", -5: "minus five", 1000: "thousand"],
            byDouble: [1.5: "x", -2: "y"],
            nested: [[1, 2], [], [3]],
            tags: ["x", "y", "z"],
            data: Data([0, 1, 2, 255]),
            emptyData: Data(),
            bytes: [9, 8, 7],
            date: Date(timeIntervalSince1970: -12345.5),
            url: URL(string: "https://example.com/a/b?c=d#e")!,
            decimal: Decimal(string: "12345.6789")!,
            optionalPoint: Point(x: 1, name: "one"),
            missing: nil,
            ints: [0, -1, .max, .min],
            doubles: [0.5, -2.25],
            uuid: UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")!
        )
        #expect(try roundTrip(value) == value)
    }

    @Test func largeContainersNeedMultiByteCounts() throws {
        // Generic paths, whose counts are back-patched after the body was written.
        let items = (0..<300).map { Item(name: "item \($0)", weight: Double($0)) }
        let order = Order(id: 1, items: items)
        #expect(try roundTrip(order) == order)
        let byNumber = Dictionary(uniqueKeysWithValues: (0..<200).map { ($0, "v\($0)") })
        #expect(try roundTrip(byNumber) == byNumber)
        let nested = (0..<150).map { [$0, $0 + 1] }
        #expect(try roundTrip(nested) == nested)
        let matrix = Matrix(rows: (0..<130).map { Array(0..<$0 % 3) }, info: ["owner": "me", "kind": "big"])
        #expect(try roundTrip(matrix) == matrix)
        // Fast paths.
        let ints = Array(-1000..<1000)
        #expect(try roundTrip(ints) == ints)
        let strings = (0..<500).map { "s\($0)" }
        #expect(try roundTrip(strings) == strings)
    }

    @Test func dataDateAndURLUseTheirOwnTags() throws {
        let data = try BinaryEncoder().encode(Data([1, 2, 3]))
        #expect(data == [8, 3, 1, 2, 3])
        let bytes = try BinaryEncoder().encode([UInt8]([1, 2, 3]))
        #expect(bytes == [8, 3, 1, 2, 3])
        let date = try BinaryEncoder().encode(Date(timeIntervalSince1970: 1.5))
        #expect(date == [5] + withUnsafeBytes(of: (1.5).bitPattern.littleEndian, Array.init))
        let url = try BinaryEncoder().encode(URL(string: "https://x.y/z")!)
        #expect(url == stringValue("https://x.y/z"))
        // [UInt8] also decodes from an array of integers.
        let generic: [UInt8] = [9] + le32(7) + [3, 4, 1, 4, 2, 4, 3]
        #expect(try BinaryDecoder().decode([UInt8].self, from: generic) == [1, 2, 3])
    }

    @Test func classesWithSuperEncoders() throws {
        let dog = Dog(name: "Rex", breed: "collie")
        #expect(try roundTrip(dog) == dog)
        let cat = Cat(name: "Tom", lives: 9)
        #expect(try roundTrip(cat) == cat)
        // The shared encoder merged both classes' keys into one container.
        let bytes = try BinaryEncoder().encode(cat)
        #expect(bytes[5] == 2)
    }

    @Test func nestedContainersByHand() throws {
        let matrix = Matrix(rows: [[1, 2, 3], [], [-4]], info: ["owner": "ann", "kind": "sparse"])
        #expect(try roundTrip(matrix) == matrix)
    }

    @Test func appendingKeepsThePrefix() throws {
        var buffer: [UInt8] = [0xAA, 0xBB, 0xCC, 0xDD]
        try BinaryEncoder().encode(Point(x: 1, name: "z"), appendingTo: &buffer)
        #expect(Array(buffer.prefix(4)) == [0xAA, 0xBB, 0xCC, 0xDD])
        #expect(try BinaryDecoder().decode(Point.self, from: buffer[4...]) == Point(x: 1, name: "z"))
    }

    @Test func envelopeCarriesUndecodedBody() throws {
        let body = try BinaryEncoder().encode(Ticket.sample)
        let envelope = Envelope(method: "storage.put", body: body)
        let bytes = try BinaryEncoder().encode(envelope)
        // The body is one tag-8 value: its bytes are embedded verbatim, at the end.
        #expect(Array(bytes.suffix(body.count)) == body)
        let decoded = try BinaryDecoder().decode(Envelope.self, from: bytes)
        #expect(decoded.method == "storage.put")
        #expect(decoded.body == body)
        #expect(try BinaryDecoder().decode(Ticket.self, from: decoded.body) == Ticket.sample)
    }
}

// MARK: - Format and schema evolution

@Suite("Binary format")
struct BinaryFormatTests {
    @Test func pinnedStructLayout() throws {
        let expected: [UInt8] = [
            0x0A,                         // keyed container
            0x0E, 0x00, 0x00, 0x00,       // body length 14
            0x02,                         // 2 entries
            0x01, 0x78,                   // key "x"
            0x03, 0x03,                   // signed, zigzag(-2) = 3
            0x04, 0x6E, 0x61, 0x6D, 0x65, // key "name"
            0x07, 0x02, 0x61, 0x62,       // string "ab"
        ]
        #expect(try BinaryEncoder().encode(Point(x: -2, name: "ab")) == expected)
        #expect(try BinaryDecoder().decode(Point.self, from: expected) == Point(x: -2, name: "ab"))
    }

    @Test func pinnedScalars() throws {
        let encoder = BinaryEncoder()
        #expect(try encoder.encode(Optional<Int>.none) == [0])
        #expect(try encoder.encode(false) == [1])
        #expect(try encoder.encode(true) == [2])
        #expect(try encoder.encode(-1) == [3, 1])
        #expect(try encoder.encode(300) == [3, 0xD8, 0x04])
        #expect(try encoder.encode(UInt8(200)) == [4, 0xC8, 0x01])
        #expect(try encoder.encode(Float(1)) == [6, 0x00, 0x00, 0x80, 0x3F])
        #expect(try encoder.encode(1.0) == [5, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
        #expect(try encoder.encode("é") == [7, 2, 0xC3, 0xA9])
        #expect(try encoder.encode([1, 2]) == [9, 5, 0, 0, 0, 2, 3, 2, 3, 4])
        #expect(try encoder.encode([true]) == [9, 2, 0, 0, 0, 1, 2])
    }

    @Test func integersAcceptEitherTagWhenTheyFit() throws {
        #expect(try BinaryDecoder().decode(Int.self, from: [4, 5]) == 5)
        #expect(try BinaryDecoder().decode(UInt8.self, from: [3, 10]) == 5)
        #expect(decodingError(UInt.self, from: [3, 1])?.isDataCorrupted == true) // -1
        #expect(decodingError(Int64.self, from: try BinaryEncoder().encode(UInt64.max))?.isDataCorrupted == true)
    }

    @Test func floatsWidenAndNarrow() throws {
        #expect(try BinaryDecoder().decode(Double.self, from: try BinaryEncoder().encode(Float(1.5))) == 1.5)
        #expect(try BinaryDecoder().decode(Float.self, from: try BinaryEncoder().encode(1.5)) == 1.5)
        #expect(try BinaryDecoder().decode(Float.self, from: try BinaryEncoder().encode(Double.infinity)) == .infinity)
        #expect(decodingError(Float.self, from: try BinaryEncoder().encode(1e300))?.isDataCorrupted == true)
    }

    @Test func newOptionalFieldDecodesAsNil() throws {
        let bytes = try BinaryEncoder().encode(V1(id: 7, name: "old"))
        #expect(try BinaryDecoder().decode(V2.self, from: bytes) == V2(id: 7, name: "old", note: nil, extra: nil))
    }

    @Test func unknownFieldsAreIgnored() throws {
        let newer = V2(id: 8, name: "new", note: "extra", extra: [Point(x: 1, name: "p")])
        let bytes = try BinaryEncoder().encode(newer)
        #expect(try BinaryDecoder().decode(V1.self, from: bytes) == V1(id: 8, name: "new"))
    }

    @Test func keysInAnyOrder() throws {
        let bytes = try BinaryEncoder().encode(Reversed(a: 1, b: "two", c: [3]))
        #expect(try BinaryDecoder().decode(InOrder.self, from: bytes) == InOrder(a: 1, b: "two", c: [3]))
        // Hand-built, with an unknown key in the middle.
        let handBuilt = keyed([("c", [9] + le32(3) + [1, 3, 6]), ("zzz", [2]), ("b", stringValue("x")), ("a", [3, 4])])
        #expect(try BinaryDecoder().decode(InOrder.self, from: handBuilt) == InOrder(a: 2, b: "x", c: [3]))
    }

    @Test func duplicateKeysDecodeToOneOfTheValues() throws {
        let bytes = keyed([("a", [3, 2]), ("b", stringValue("first")), ("c", [9] + le32(1) + [0]), ("b", stringValue("second"))])
        #expect(["first", "second"].contains(try BinaryDecoder().decode(InOrder.self, from: bytes).b))
        let strings = keyed([("k", stringValue("first")), ("k", stringValue("second"))])
        let decodedStrings = try BinaryDecoder().decode([String: String].self, from: strings)
        #expect(decodedStrings.count == 1 && ["first", "second"].contains(decodedStrings["k"]))
        let ints = keyed([("k", [3, 2]), ("k", [3, 4])])
        let decodedInts = try BinaryDecoder().decode([String: Int].self, from: ints)
        #expect(decodedInts.count == 1 && [1, 2].contains(decodedInts["k"]))
    }

    @Test func explicitNilAndAbsentKeysBothDecodeAsNil() throws {
        let explicitNil = keyed([("id", [3, 2]), ("name", stringValue("n")), ("note", [0])])
        #expect(try BinaryDecoder().decode(V2.self, from: explicitNil).note == nil)
    }
}

// MARK: - Errors

@Suite("Binary codec errors")
struct BinaryErrorTests {
    @Test func truncatedAtEveryOffsetThrows() throws {
        let bytes = try BinaryEncoder().encode(Ticket.sample)
        for length in 0..<bytes.count {
            let error = decodingError(Ticket.self, from: Array(bytes[..<length]))
            #expect(error?.isDataCorrupted == true, "prefix of \(length) bytes")
        }
    }

    @Test func trailingBytesAreRejected() throws {
        let bytes = try BinaryEncoder().encode(Point(x: 1, name: "a")) + [0]
        #expect(decodingError(Point.self, from: bytes)?.isDataCorrupted == true)
    }

    @Test func hugeDeclaredLengthIsCorruptNotAnAllocation() throws {
        let string: [UInt8] = [7] + varint(1 << 60) + Array(repeating: 0x61, count: 10)
        #expect(decodingError(String.self, from: string)?.isDataCorrupted == true)
        let bytes: [UInt8] = [8] + varint(UInt64.max) + [1, 2]
        #expect(decodingError(Data.self, from: bytes)?.isDataCorrupted == true)
        // A container whose element count cannot fit in its body.
        let array: [UInt8] = [9] + le32(11) + varint(1 << 60) + [3, 2]
        #expect(decodingError([Int].self, from: array)?.isDataCorrupted == true)
        #expect(decodingError([Item].self, from: array)?.isDataCorrupted == true)
        let dictionary: [UInt8] = [10] + le32(11) + varint(1 << 60) + [1, 0x61]
        #expect(decodingError([String: String].self, from: dictionary)?.isDataCorrupted == true)
        #expect(decodingError(Point.self, from: dictionary)?.isDataCorrupted == true)
        // A body length beyond the input.
        #expect(decodingError(Point.self, from: [10, 0xFF, 0xFF, 0xFF, 0x7F, 0])?.isDataCorrupted == true)
        // A 64-bit varint longer than 10 bytes.
        #expect(decodingError(Int.self, from: [4] + Array(repeating: 0xFF, count: 10) + [1])?.isDataCorrupted == true)
    }

    @Test func wrongTagIsTypeMismatchWithPath() throws {
        let order = LooseOrder(id: 1, items: [
            LooseItem(name: "a", weight: .number(1)),
            LooseItem(name: "b", weight: .number(2)),
            LooseItem(name: "c", weight: .text("heavy")),
        ])
        let bytes = try BinaryEncoder().encode(order)
        let error = try #require(decodingError(Order.self, from: bytes))
        #expect(error.isTypeMismatch)
        #expect(error.path == ["items", "Index 2", "weight"])
        #expect(error.context?.codingPath[1].intValue == 2)
    }

    @Test func errorsInFastPathArraysNameTheElement() throws {
        var ticket = try BinaryEncoder().encode(Ticket.sample)
        // Turn the second component's tag (string) into "bytes": same layout, wrong type.
        let second = try #require(ticket.firstRange(of: stringValue("payments")))
        ticket[second.lowerBound] = 8
        let error = try #require(decodingError(Ticket.self, from: ticket))
        #expect(error.isTypeMismatch)
        #expect(error.path == ["components", "Index 1"])
    }

    @Test func nilForNonOptionalIsValueNotFound() throws {
        let bytes = keyed([("x", [0]), ("name", stringValue("a"))])
        let error = try #require(decodingError(Point.self, from: bytes))
        guard case .valueNotFound = error else {
            Issue.record("expected valueNotFound, got \(error)")
            return
        }
        #expect(error.path == ["x"])
    }

    @Test func missingKeyIsKeyNotFound() throws {
        let order = LooseOrder(id: 1, items: [LooseItem(name: "a", weight: nil)])
        let bytes = try BinaryEncoder().encode(order)
        let error = try #require(decodingError(Order.self, from: bytes))
        guard case .keyNotFound(let key, let context) = error else {
            Issue.record("expected keyNotFound, got \(error)")
            return
        }
        #expect(key.stringValue == "weight")
        #expect(context.codingPath.map(\.stringValue) == ["items", "Index 0"])
    }

    @Test func integerOverflowIsDataCorrupted() throws {
        let error = try #require(decodingError(SmallInts.self, from: try BinaryEncoder().encode(BigInt(value: 300)).renamingFirstKey(to: "small")))
        #expect(error.isDataCorrupted)
        #expect(error.path == ["small"])
        #expect(decodingError(Unsigned.self, from: keyed([("value", [3, 1])]))?.isDataCorrupted == true)
        #expect(decodingError(Int8.self, from: try BinaryEncoder().encode(300))?.isDataCorrupted == true)
        #expect(decodingError(Int8.self, from: try BinaryEncoder().encode(-129))?.isDataCorrupted == true)
        #expect(try BinaryDecoder().decode(Int8.self, from: try BinaryEncoder().encode(-128)) == -128)
        #expect(decodingError([Int8].self, from: try BinaryEncoder().encode([1, 2, 1000]))?.path == ["Index 2"])
    }

    @Test func encoderMisuseThrows() throws {
        #expect(throws: EncodingError.self) { try BinaryEncoder().encode(Misuse()) }
        #expect(throws: Failing.Boom.self) { try BinaryEncoder().encode([Failing()]) }
        var buffer: [UInt8] = [1, 2, 3]
        #expect(throws: Failing.Boom.self) { try BinaryEncoder().encode(Failing(), appendingTo: &buffer) }
        #expect(buffer == [1, 2, 3])
    }

    @Test func failedFieldIsRolledBack() throws {
        let bytes = try BinaryEncoder().encode(Partial())
        // "c" is written twice (nil, then "done"); either way "b" left no trace.
        let decoded = try BinaryDecoder().decode(PartialResult.self, from: bytes.droppingEntry(named: "c", occurrence: 0))
        #expect(decoded == PartialResult(a: 1, b: nil, c: "done"))
        #expect(bytes[5] == 3)
    }

    @Test func invalidUTF8IsDataCorrupted() throws {
        for invalid: [UInt8] in [[0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0x61, 0x80, 0x62], [0xF0, 0x9F, 0x98]] {
            let bytes: [UInt8] = [7] + varint(UInt64(invalid.count)) + invalid
            #expect(decodingError(String.self, from: bytes)?.isDataCorrupted == true, "\(invalid)")
            #expect(decodingError([String].self, from: [9] + le32(bytes.count + 1) + [1] + bytes)?.isDataCorrupted == true)
        }
    }

    @Test func invalidTagIsDataCorrupted() throws {
        #expect(decodingError(Int.self, from: [11])?.isDataCorrupted == true)
        #expect(decodingError(Point.self, from: keyed([("x", [200]), ("name", stringValue("a"))]))?.isDataCorrupted == true)
        #expect(decodingError(Int.self, from: [])?.isDataCorrupted == true)
    }

    @Test func depthBombIsRejected() throws {
        let levels = 100_000
        var bytes: [UInt8] = []
        bytes.reserveCapacity(levels * 6 + 6)
        for level in stride(from: levels, to: 0, by: -1) {
            bytes += [9] + le32(1 + 6 * level) + [1]
        }
        bytes += [9] + le32(1) + [0]
        let error = try #require(decodingError(NestedArrays.self, from: bytes))
        #expect(error.isDataCorrupted)
        // A modest nesting within the limit decodes.
        var shallow: [UInt8] = []
        for level in stride(from: 10, to: 0, by: -1) {
            shallow += [9] + le32(1 + 6 * level) + [1]
        }
        shallow += [9] + le32(1) + [0]
        #expect(try BinaryDecoder().decode(NestedArrays.self, from: shallow).depth == 11)
        #expect(decodingError(NestedArrays.self, from: shallow, maxDepth: 5)?.isDataCorrupted == true)
    }

    @Test func randomGarbageNeverCrashes() throws {
        var random = SplitMix64(seed: 0x5EED)
        var thrown = 0
        for _ in 0..<10_000 {
            let count = Int.random(in: 0..<64, using: &random)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            // Bias towards plausible containers so decoding gets past the first byte.
            if !bytes.isEmpty && Bool.random(using: &random) {
                bytes[0] = Bool.random(using: &random) ? 9 : 10
                if bytes.count >= 5 {
                    bytes.replaceSubrange(1..<5, with: le32(bytes.count - 5))
                }
            }
            do {
                _ = try BinaryDecoder().decode(Ticket.self, from: bytes)
            } catch is DecodingError {
                thrown += 1
            }
            _ = try? BinaryDecoder().decode([Shape].self, from: bytes)
            _ = try? BinaryDecoder().decode([String: [Int]].self, from: bytes)
        }
        #expect(thrown == 10_000)
    }

    /// Each mutated encoding either decodes to a value, which is then a real one (the sample when no byte
    /// changed; otherwise it survives its own round trip), or fails with a `DecodingError`. Any other error
    /// is thrown out of the test and fails it.
    @Test func mutatedEncodingsNeverCrash() throws {
        let valid = try BinaryEncoder().encode(Ticket.sample)
        var random = SplitMix64(seed: 42)
        var decoded = 0
        var rejected = 0
        for _ in 0..<2_000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                bytes[index] = UInt8.random(in: 0...255, using: &random)
            }
            let ticket: Ticket
            do {
                ticket = try BinaryDecoder().decode(Ticket.self, from: bytes)
            } catch let error as DecodingError {
                rejected += 1
                #expect(error.context?.debugDescription.isEmpty == false, "a decoding error says what is wrong")
                continue
            }
            decoded += 1
            if bytes == valid { #expect(ticket == Ticket.sample) }
            let again = try BinaryDecoder().decode(Ticket.self, from: try BinaryEncoder().encode(ticket))
            #expect(again.withoutNaN == ticket.withoutNaN, "\(bytes)")
        }
        // Both outcomes happen (the mutations are the same on every run).
        #expect(decoded > 0)
        #expect(rejected > 0)
    }
}

private extension Array where Element == UInt8 {
    /// Removes the `occurrence`-th entry named `name` from a top-level keyed container.
    func droppingEntry(named name: String, occurrence: Int) -> [UInt8] {
        precondition(self[0] == 10)
        var offset = 6
        var seen = 0
        var kept: [[UInt8]] = []
        for _ in 0..<Int(self[5]) {
            let keyLength = Int(self[offset])
            let key = String(decoding: self[(offset + 1)..<(offset + 1 + keyLength)], as: UTF8.self)
            let valueStart = offset + 1 + keyLength
            let valueEnd: Int
            switch self[valueStart] {
            case 0, 1, 2: valueEnd = valueStart + 1
            case 3, 4: valueEnd = valueStart + 1 + (self[(valueStart + 1)...].firstIndex { $0 < 0x80 }! - valueStart)
            case 7: valueEnd = valueStart + 2 + Int(self[valueStart + 1])
            default: preconditionFailure("unsupported tag in test helper")
            }
            if key == name && seen == occurrence {
                seen += 1
            } else {
                if key == name { seen += 1 }
                kept.append(Array(self[offset..<valueEnd]))
            }
            offset = valueEnd
        }
        let body = [UInt8(kept.count)] + kept.flatMap { $0 }
        return [10] + le32(body.count) + body
    }

    /// Renames the first key of a keyed container (the new name must have the same length).
    func renamingFirstKey(to key: String) -> [UInt8] {
        var copy = self
        let name = Array(key.utf8)
        precondition(copy[6] == UInt8(name.count))
        copy.replaceSubrange(7..<(7 + name.count), with: name)
        return copy
    }
}

/// Throws while encoding when its value is negative, recording the coding path it saw.
private struct Checked: Encodable {
    struct Negative: Error { let path: [String] }
    var value: Int

    func encode(to encoder: any Encoder) throws {
        guard value >= 0 else { throw Negative(path: encoder.codingPath.map(\.stringValue)) }
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

struct BinaryArrayEncodingErrorTests {
    @Test func elementErrorsNameTheElementAndLeaveNoTrace() throws {
        struct Holder: Encodable { var checks: [Checked] }
        do {
            _ = try BinaryEncoder().encode(Holder(checks: [Checked(value: 1), Checked(value: 2), Checked(value: -1)]))
            Issue.record("encoding a negative value should throw")
        } catch let error as Checked.Negative {
            #expect(error.path == ["checks", "Index 2"])
        }
        var buffer: [UInt8] = [1, 2, 3]
        #expect(throws: Checked.Negative.self) { try BinaryEncoder().encode([Checked(value: -5)], appendingTo: &buffer) }
        #expect(buffer == [1, 2, 3])
    }
}

// MARK: - Collections of any element (the array and `[String: V]` fast paths)

/// A struct with one key, to compare with a one-entry dictionary.
private struct KeyedX: Codable, Equatable {
    var x: Item
}

/// Writes its items through an `UnkeyedEncodingContainer`, as `Array.encode(to:)` would.
private struct HandArray: Encodable {
    var items: [Item]

    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for item in items { try container.encode(item) }
    }
}

private struct Ranked: Codable, Equatable {
    var person: String
    var factors: [String: Factor]
    var reasons: [String]

    struct Factor: Codable, Equatable {
        var value: Double
        var weight: Double
    }
}

@Suite("Binary codec collections")
struct BinaryCollectionTests {
    @Test func dictionariesOfAnyValueRoundTrip() throws {
        let items = ["a": Item(name: "a", weight: 1), "b": Item(name: "", weight: -2.5), "ü🚀": Item(name: "x", weight: 0)]
        #expect(try roundTrip(items) == items)
        #expect(try roundTrip([String: Item]()) == [:])
        let many = Dictionary(uniqueKeysWithValues: (0..<300).map { ("key-\($0)", Item(name: "\($0)", weight: Double($0))) })
        #expect(try roundTrip(many) == many)
        let nested = ["outer": ["inner": [Item(name: "n", weight: 1)]], "empty": [:]]
        #expect(try roundTrip(nested) == nested)
        let optionals: [String: Int?] = ["some": 1, "none": nil]
        #expect(try roundTrip(optionals) == optionals)
        let ranked = (0..<20).map { i in
            Ranked(person: "p\(i)", factors: ["skill": .init(value: Double(i), weight: 0.5), "load": .init(value: 1, weight: 0.25)], reasons: ["r\(i)"])
        }
        #expect(try roundTrip(ranked) == ranked)
    }

    @Test func fastPathsWriteTheSameBytesAsTheGenericContainers() throws {
        let item = Item(name: "n", weight: 2)
        #expect(try BinaryEncoder().encode(["x": item]) == BinaryEncoder().encode(KeyedX(x: item)))
        let items = (0..<200).map { Item(name: "\($0)", weight: Double($0)) }
        #expect(try BinaryEncoder().encode(items) == BinaryEncoder().encode(HandArray(items: items)))
        // And a dictionary decodes as a struct with the same keys, and back.
        #expect(try BinaryDecoder().decode(KeyedX.self, from: BinaryEncoder().encode(["x": item, "unknown": item])) == KeyedX(x: item))
        #expect(try BinaryDecoder().decode([String: Item].self, from: BinaryEncoder().encode(KeyedX(x: item))) == ["x": item])
    }

    @Test func dictionaryValueErrorsNameTheKey() throws {
        let bytes = keyed([("good", keyed([("name", stringValue("g")), ("weight", [5] + Array(repeating: 0, count: 8))])),
                           ("bad", keyed([("name", stringValue("b")), ("weight", stringValue("heavy"))]))])
        let error = try #require(decodingError([String: Item].self, from: bytes))
        #expect(error.isTypeMismatch)
        #expect(error.path == ["bad", "weight"])
        do {
            _ = try BinaryEncoder().encode(["ok": Checked(value: 1), "bad": Checked(value: -1)])
            Issue.record("encoding a negative value should throw")
        } catch let error as Checked.Negative {
            #expect(error.path == ["bad"])
        }
        var buffer: [UInt8] = [9]
        #expect(throws: Checked.Negative.self) { try BinaryEncoder().encode(["bad": [Checked(value: -1)]], appendingTo: &buffer) }
        #expect(buffer == [9])
    }

    @Test func malformedDictionaryEntriesAreDataCorrupted() throws {
        // A key that is not UTF-8.
        var body = varint(1) + varint(1) + [0xFF] + stringValue("v")
        #expect(decodingError([String: String].self, from: [10] + le32(body.count) + body)?.isDataCorrupted == true)
        #expect(decodingError([String: Item].self, from: [10] + le32(body.count) + body)?.isDataCorrupted == true)
        // A key longer than the container.
        body = varint(1) + varint(50) + [0x61]
        #expect(decodingError([String: Item].self, from: [10] + le32(body.count) + body)?.isDataCorrupted == true)
        // A value cut short.
        body = varint(1) + varint(1) + [0x61] + [7, 5, 0x61]
        #expect(decodingError([String: Item].self, from: [10] + le32(body.count) + body)?.isDataCorrupted == true)
    }
}

// MARK: - Recycled element decoders

/// A recursive type: a node's children are decoded while the node's own decoder is in use.
private final class Node: Codable, Equatable {
    let name: String
    let children: [Node]
    let byName: [String: Node]

    init(name: String, children: [Node] = [], byName: [String: Node] = [:]) {
        self.name = name
        self.children = children
        self.byName = byName
    }

    static func == (lhs: Node, rhs: Node) -> Bool {
        lhs.name == rhs.name && lhs.children == rhs.children && lhs.byName == rhs.byName
    }
}

/// Decodes its fields in a different way depending on the input, through different key types.
private enum Either: Codable, Equatable {
    case point(Point)
    case item(Item)

    private enum Kind: String, CodingKey { case point, item }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Kind.self)
        if let point = try container.decodeIfPresent(Point.self, forKey: .point) {
            self = .point(point)
        } else {
            self = .item(try container.decode(Item.self, forKey: .item))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Kind.self)
        switch self {
        case .point(let point): try container.encode(point, forKey: .point)
        case .item(let item): try container.encode(item, forKey: .item)
        }
    }
}

@Suite("Binary codec element decoders")
struct BinaryRecycledDecoderTests {
    @Test func recursiveElementsOfOneTypeRoundTrip() throws {
        func tree(_ depth: Int, _ label: String) -> Node {
            guard depth > 0 else { return Node(name: label) }
            return Node(name: label, children: (0..<3).map { tree(depth - 1, "\(label).\($0)") },
                        byName: ["x": tree(depth - 1, "\(label).x")])
        }
        let root = tree(4, "r")
        #expect(try roundTrip(root) == root)
        #expect(try roundTrip([root, tree(2, "s"), Node(name: "leaf")]) == [root, tree(2, "s"), Node(name: "leaf")])
    }

    @Test func everyElementSeesItsOwnFields() throws {
        // Elements with different fields present, so a reused container must not see the last one's.
        let items: [Either] = [.point(Point(x: 1, name: "a")), .item(Item(name: "b", weight: 2)), .item(Item(name: "c", weight: 3)),
                               .point(Point(x: 4, name: "d"))]
        #expect(try roundTrip(items) == items)
        let optionals = [V2(id: 1, name: "a", note: "n", extra: nil), V2(id: 2, name: "b", note: nil, extra: [Point(x: 1, name: "p")]),
                         V2(id: 3, name: "c", note: nil, extra: nil)]
        #expect(try roundTrip(optionals) == optionals)
    }

    @Test func anErrorInALaterElementNamesThatElement() throws {
        let bytes = try BinaryEncoder().encode([Point(x: 1, name: "a"), Point(x: 2, name: "b")])
        // The second element's x becomes a string: same length as `03 04`.
        var broken = bytes
        let second = try #require(broken.lastRange(of: [0x01, 0x78, 0x03, 0x04]))
        broken.replaceSubrange(second, with: [0x01, 0x78, 0x07, 0x00])
        let error = try #require(decodingError([Point].self, from: broken))
        #expect(error.isTypeMismatch)
        #expect(error.path == ["Index 1", "x"])
        // And the decoder still works for the next message.
        #expect(try BinaryDecoder().decode([Point].self, from: bytes) == [Point(x: 1, name: "a"), Point(x: 2, name: "b")])
    }
}

private extension Array where Element == UInt8 {
    func lastRange(of pattern: [UInt8]) -> Range<Int>? {
        guard count >= pattern.count else { return nil }
        for start in stride(from: count - pattern.count, through: 0, by: -1) where Array(self[start..<(start + pattern.count)]) == pattern {
            return start..<(start + pattern.count)
        }
        return nil
    }
}
