import Foundation
import TestSupport
import Testing
@testable import Wire

// MARK: - Fixtures

private enum Color: String, Codable, BinaryValue {
    case red, green
}

private struct Inner: BinaryCodable, Equatable {
    var name: String
    var weight: Double

    func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(name, forKey: "name")
        writer.encode(weight, forKey: "weight")
    }

    init(name: String, weight: Double) {
        self.name = name
        self.weight = weight
    }

    init(from reader: inout BinaryKeyedReader) throws {
        name = try reader.decode(String.self, forKey: "name")
        weight = try reader.decode(Double.self, forKey: "weight")
    }
}

/// Every kind of value the writer and reader support.
private struct Outer: BinaryCodable, Equatable {
    var id: Int64
    var count: Int
    var small: Int8
    var unsigned: UInt64
    var flag: Bool
    var ratio: Float
    var color: Color
    var when: Date
    var data: Data
    var bytes: [UInt8]
    var note: String?
    var inner: Inner
    var optionalInner: Inner?
    var list: [Inner]
    var byName: [String: Inner]
    var groups: [String: [Inner]]
    var numbers: [String: Double]
    var tags: [String]
    var matrix: [[Int]]

    static let sample = Outer(
        id: -42, count: 1 << 40, small: -128, unsigned: .max, flag: true, ratio: 0.25, color: .green,
        when: Date(timeIntervalSince1970: 1_732_000_000.5), data: Data([0, 1, 255]), bytes: [9, 8, 7], note: "ünï 🚀",
        inner: Inner(name: "a", weight: 1), optionalInner: Inner(name: "b", weight: -2.5),
        list: [Inner(name: "c", weight: 0), Inner(name: "", weight: .infinity)], byName: ["x": Inner(name: "d", weight: 3)],
        groups: ["g": [Inner(name: "e", weight: 4)], "h": []], numbers: ["one": 1, "two": 2], tags: ["t1", ""], matrix: [[1, -2], []])

    static let minimal = Outer(
        id: 0, count: 0, small: 0, unsigned: 0, flag: false, ratio: 0, color: .red, when: Date(timeIntervalSince1970: 0), data: Data(),
        bytes: [], note: nil, inner: Inner(name: "", weight: 0), optionalInner: nil, list: [], byName: [:], groups: [:], numbers: [:],
        tags: [], matrix: [])

    init(id: Int64, count: Int, small: Int8, unsigned: UInt64, flag: Bool, ratio: Float, color: Color, when: Date, data: Data,
         bytes: [UInt8], note: String?, inner: Inner, optionalInner: Inner?, list: [Inner], byName: [String: Inner],
         groups: [String: [Inner]], numbers: [String: Double], tags: [String], matrix: [[Int]]) {
        self.id = id
        self.count = count
        self.small = small
        self.unsigned = unsigned
        self.flag = flag
        self.ratio = ratio
        self.color = color
        self.when = when
        self.data = data
        self.bytes = bytes
        self.note = note
        self.inner = inner
        self.optionalInner = optionalInner
        self.list = list
        self.byName = byName
        self.groups = groups
        self.numbers = numbers
        self.tags = tags
        self.matrix = matrix
    }

    func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(id, forKey: "id")
        writer.encode(count, forKey: "count")
        writer.encode(small, forKey: "small")
        writer.encode(unsigned, forKey: "unsigned")
        writer.encode(flag, forKey: "flag")
        writer.encode(ratio, forKey: "ratio")
        writer.encode(color, forKey: "color")
        writer.encode(when, forKey: "when")
        writer.encode(data, forKey: "data")
        writer.encode(bytes, forKey: "bytes")
        writer.encodeIfPresent(note, forKey: "note")
        writer.encode(inner, forKey: "inner")
        writer.encodeIfPresent(optionalInner, forKey: "optionalInner")
        writer.encode(list, forKey: "list")
        writer.encode(byName, forKey: "byName")
        writer.encode(groups, forKey: "groups")
        writer.encode(numbers, forKey: "numbers")
        writer.encode(tags, forKey: "tags")
        writer.encode(matrix, forKey: "matrix")
    }

    init(from reader: inout BinaryKeyedReader) throws {
        id = try reader.decode(Int64.self, forKey: "id")
        count = try reader.decode(Int.self, forKey: "count")
        small = try reader.decode(Int8.self, forKey: "small")
        unsigned = try reader.decode(UInt64.self, forKey: "unsigned")
        flag = try reader.decode(Bool.self, forKey: "flag")
        ratio = try reader.decode(Float.self, forKey: "ratio")
        color = try reader.decode(Color.self, forKey: "color")
        when = try reader.decode(Date.self, forKey: "when")
        data = try reader.decode(Data.self, forKey: "data")
        bytes = try reader.decode([UInt8].self, forKey: "bytes")
        note = try reader.decodeIfPresent(String.self, forKey: "note")
        inner = try reader.decode(Inner.self, forKey: "inner")
        optionalInner = try reader.decodeIfPresent(Inner.self, forKey: "optionalInner")
        list = try reader.decode([Inner].self, forKey: "list")
        byName = try reader.decode([String: Inner].self, forKey: "byName")
        groups = try reader.decode([String: [Inner]].self, forKey: "groups")
        numbers = try reader.decode([String: Double].self, forKey: "numbers")
        tags = try reader.decode([String].self, forKey: "tags")
        matrix = try reader.decode([[Int]].self, forKey: "matrix")
    }
}

/// Tells which path decoded it: `viaFastPath` is not part of its encoding.
private struct Marked: BinaryCodable, Equatable {
    var value: Int
    var bytes: [UInt8]
    var viaFastPath = false

    private enum CodingKeys: String, CodingKey {
        case value, bytes
    }

    init(value: Int, bytes: [UInt8]) {
        self.value = value
        self.bytes = bytes
    }

    func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(value, forKey: "value")
        writer.encode(bytes, forKey: "bytes")
    }

    init(from reader: inout BinaryKeyedReader) throws {
        value = try reader.decode(Int.self, forKey: "value")
        bytes = try reader.decode([UInt8].self, forKey: "bytes")
        viaFastPath = true
    }
}

/// Tells which path encoded it: its fast path writes another key (only a test may do that).
private struct Loud: BinaryCodable, Equatable {
    var value: Int

    init(value: Int) {
        self.value = value
    }

    func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(value, forKey: "fast")
    }

    init(from reader: inout BinaryKeyedReader) throws {
        value = try reader.decode(Int.self, forKey: "fast")
    }
}

/// A `Codable`-only parent of conforming values.
private struct Holder: Codable, Equatable {
    var marked: Marked
    var list: [Marked]
    var loud: Loud?
}

/// The same fields as `Marked` in the other order, plus an unknown one.
private struct MarkedReordered: Codable {
    var extra: [String]
    var bytes: [UInt8]
    var value: Int
}

/// The same key 130 times (more entries than a one-byte count holds), on both paths.
private struct Repeated: BinaryCodable {
    private enum CodingKeys: String, CodingKey {
        case k
    }

    init() {}

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        for index in 0..<130 { try container.encode(index, forKey: .k) }
    }

    init(from decoder: any Decoder) throws {}

    func encode(to writer: inout BinaryKeyedWriter) {
        for index in 0..<130 { writer.encode(index, forKey: "k") }
    }

    init(from reader: inout BinaryKeyedReader) throws {}
}

private struct Nothing: BinaryCodable, Equatable {
    init() {}
    func encode(to writer: inout BinaryKeyedWriter) {}
    init(from reader: inout BinaryKeyedReader) throws {}
}

/// Encodes its `inner` value with a `BinaryEncoder` of its own while its own encode is under way.
private struct Nesting: BinaryCodable {
    var inner: Inner

    /// What `Nesting` writes, as bytes.
    struct Bytes: Codable {
        var before: [UInt8]
        var inner: [UInt8]
        var after: String
    }

    func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode([1, 2, 3], forKey: "before")
        writer.encode((try? BinaryEncoder().encode(inner)) ?? [], forKey: "inner")
        writer.encode("after", forKey: "after")
    }

    func encode(to encoder: any Encoder) throws {
        try Bytes(before: [1, 2, 3], inner: BinaryEncoder().encode(inner), after: "after").encode(to: encoder)
    }

    init(inner: Inner) { self.inner = inner }

    init(from reader: inout BinaryKeyedReader) throws { throw BinaryCodableMiss() }

    init(from decoder: any Decoder) throws {
        let bytes = try Bytes(from: decoder)
        inner = try BinaryDecoder().decode(Inner.self, from: bytes.inner)
    }
}

private let generic: (encoder: BinaryEncoder, decoder: BinaryDecoder) = {
    var encoder = BinaryEncoder()
    encoder.useBinaryCodable = false
    var decoder = BinaryDecoder()
    decoder.useBinaryCodable = false
    return (encoder, decoder)
}()

/// What decoding gave: the value (its canonical encoding: see `WireTree.sortingKeys`) or the error's
/// description.
private enum Outcome: Equatable {
    case value([UInt8])
    case error(String)

    static func of<T: Encodable>(_ value: T) -> Outcome {
        guard let bytes = try? generic.encoder.encode(value), let tree = try? WireTree(parsing: bytes) else { return .error("unencodable") }
        return .value(tree.sortingKeys.bytes)
    }

    func contains(_ text: String) -> Bool {
        if case .error(let description) = self { return description.contains(text) }
        return false
    }
}

private func outcome<T: Codable>(_ type: T.Type, _ bytes: [UInt8], _ decoder: BinaryDecoder) -> Outcome {
    do {
        return .of(try decoder.decode(type, from: bytes))
    } catch {
        return .error(String(describing: error))
    }
}

// MARK: - Tests

@Suite struct BinaryCodableTests {
    @Test func sameBytesAsCodable() throws {
        for value in [Outer.sample, Outer.minimal] {
            let bytes = try generic.encoder.encode(value)
            #expect(try BinaryEncoder().encodeBinaryCodable(value) == bytes)
            #expect(try BinaryEncoder().encode(value) == bytes)
            var buffer: [UInt8] = [1, 2, 3]
            try BinaryEncoder().encode(value, appendingTo: &buffer)
            #expect(buffer == [1, 2, 3] + bytes)
        }
        #expect(try BinaryEncoder().encodeBinaryCodable(Nothing()) == generic.encoder.encode(Nothing()))
        #expect(try BinaryEncoder().encodeBinaryCodable(Repeated()) == generic.encoder.encode(Repeated()))
    }

    @Test func readsWhatCodableWrites() throws {
        for value in [Outer.sample, Outer.minimal] {
            let bytes = try generic.encoder.encode(value)
            #expect(try BinaryDecoder().decodeBinaryCodable(Outer.self, from: bytes) == value)
            #expect(try BinaryDecoder().decode(Outer.self, from: bytes) == value)
            #expect(try generic.decoder.decode(Outer.self, from: bytes) == value)
        }
    }

    @Test func encoderTakesTheFastPathUnlessToldNot() throws {
        let holder = Holder(marked: Marked(value: 1, bytes: []), list: [], loud: Loud(value: 7))
        let fast = try BinaryEncoder().encode(holder)
        let slow = try generic.encoder.encode(holder)
        #expect(fast.contains(subsequence: Array("fast".utf8)))
        #expect(!slow.contains(subsequence: Array("fast".utf8)))
        #expect(try BinaryEncoder().encode(Loud(value: 7)).contains(subsequence: Array("fast".utf8)))
        #expect(try generic.encoder.encode(Loud(value: 7)).contains(subsequence: Array("value".utf8)))
    }

    @Test func decoderTakesTheFastPathAtEveryLevelUnlessToldNot() throws {
        let bytes = try generic.encoder.encode(Marked(value: 5, bytes: [1]))
        #expect(try BinaryDecoder().decode(Marked.self, from: bytes).viaFastPath)
        #expect(try !generic.decoder.decode(Marked.self, from: bytes).viaFastPath)

        let holder = try generic.encoder.encode(Holder(marked: Marked(value: 1, bytes: []), list: [Marked(value: 2, bytes: [3])], loud: nil))
        let decoded = try BinaryDecoder().decode(Holder.self, from: holder)
        #expect(decoded.marked.viaFastPath && decoded.list.allSatisfy(\.viaFastPath))
        let slow = try generic.decoder.decode(Holder.self, from: holder)
        #expect(!slow.marked.viaFastPath && !slow.list.contains(where: \.viaFastPath))
        #expect(decoded == Holder(marked: Marked(value: 1, bytes: []), list: [Marked(value: 2, bytes: [3])], loud: nil) ||
                decoded.marked.value == 1 && decoded.list.map(\.value) == [2] && decoded.list[0].bytes == [3])
    }

    @Test func keysInAnyOrderAndUnknownKeys() throws {
        let bytes = try generic.encoder.encode(MarkedReordered(extra: ["ignored"], bytes: [4, 5], value: 6))
        let decoded = try BinaryDecoder().decodeBinaryCodable(Marked.self, from: bytes)
        #expect(decoded.value == 6 && decoded.bytes == [4, 5])
    }

    /// `[UInt8]` written as an array of integers is valid `Codable` input the fast path does not take.
    @Test func inputTheFastPathDoesNotTakeIsDecodedByCodable() throws {
        struct ArrayBytes: Encodable {
            var value: Int
            var bytes: [Int]
        }
        let bytes = try generic.encoder.encode(ArrayBytes(value: 3, bytes: [1, 2]))
        #expect(throws: (any Error).self) { try BinaryDecoder().decodeBinaryCodable(Marked.self, from: bytes) }
        let decoded = try BinaryDecoder().decode(Marked.self, from: bytes)
        #expect(decoded.value == 3 && decoded.bytes == [1, 2] && !decoded.viaFastPath)
    }

    @Test func errorsAreCodablesWithTheirCodingPath() throws {
        struct MissingValue: Encodable {
            var bytes: [UInt8]
        }
        struct WrongHolder: Encodable {
            var marked: Marked
            var list: [MissingValue]
        }
        let top = try generic.encoder.encode(MissingValue(bytes: []))
        #expect(throws: (any Error).self) { try BinaryDecoder().decodeBinaryCodable(Marked.self, from: top) }
        #expect(outcome(Marked.self, top, BinaryDecoder()) == outcome(Marked.self, top, generic.decoder))
        #expect(outcome(Marked.self, top, BinaryDecoder()).contains("value"))

        let nested = try generic.encoder.encode(WrongHolder(marked: Marked(value: 1, bytes: []), list: [MissingValue(bytes: [1])]))
        do {
            _ = try BinaryDecoder().decode(Holder.self, from: nested)
            Issue.record("decoded without the required key")
        } catch let error as DecodingError {
            guard case .keyNotFound(let key, let context) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(key.stringValue == "value")
            #expect(context.codingPath.map(\.stringValue) == ["list", "Index 0"])
        }
        #expect(outcome(Holder.self, nested, BinaryDecoder()) == outcome(Holder.self, nested, generic.decoder))
    }

    @Test func depthLimitAsCodable() throws {
        let bytes = try generic.encoder.encode(Outer.sample)
        for maxDepth in 0...5 {
            var decoder = BinaryDecoder(maxDepth: maxDepth)
            let chosen = outcome(Outer.self, bytes, decoder)
            decoder.useBinaryCodable = false
            #expect(chosen == outcome(Outer.self, bytes, decoder), "maxDepth \(maxDepth)")
        }
    }

    @Test func truncatedOrCorruptedInputAnswersAsCodable() throws {
        let bytes = try generic.encoder.encode(Outer.sample)
        for count in 0..<bytes.count {
            let truncated = Array(bytes[..<count])
            #expect(throws: (any Error).self) { try BinaryDecoder().decodeBinaryCodable(Outer.self, from: truncated) }
            #expect(outcome(Outer.self, truncated, BinaryDecoder()) == outcome(Outer.self, truncated, generic.decoder))
        }
        for offset in bytes.indices {
            for replacement: UInt8 in [0x00, 0x80, 0xFF, bytes[offset] ^ 0x01] where replacement != bytes[offset] {
                var corrupted = bytes
                corrupted[offset] = replacement
                let expected = outcome(Outer.self, corrupted, generic.decoder)
                #expect(outcome(Outer.self, corrupted, BinaryDecoder()) == expected, "byte \(offset) = \(replacement)")
                if let fast = try? BinaryDecoder().decodeBinaryCodable(Outer.self, from: corrupted) {
                    #expect(Outcome.of(fast) == expected, "byte \(offset) = \(replacement)")
                }
            }
        }
    }

    /// The thread's reused writer starts empty every time: after a large value (past what is kept),
    /// a small one, and an encode nested in another's `encode(to:)`, each gets exactly its bytes.
    @Test func reusedWritersStartEmptyAndNestedEncodesGetTheirOwn() throws {
        var big = Outer.sample
        big.note = String(repeating: "x", count: BinaryWriterCache.maxKeptCapacity + 100)
        for value in [Outer.sample, big, Outer.minimal, Outer.sample, Outer.minimal] {
            let bytes = try generic.encoder.encode(value)
            #expect(try BinaryEncoder().encode(value) == bytes)
            var buffer: [UInt8] = [7]
            buffer.reserveCapacity(4096)
            try BinaryEncoder().encode(value, appendingTo: &buffer)
            #expect(buffer == [7] + bytes)
        }
        let nesting = Nesting(inner: Inner(name: "nested", weight: 2))
        let expected = try generic.encoder.encode(Inner(name: "nested", weight: 2))
        let decoded = try BinaryDecoder().decode(Nesting.Bytes.self, from: BinaryEncoder().encode(nesting))
        #expect(decoded.before == [1, 2, 3] && decoded.inner == expected && decoded.after == "after")
    }

    /// A container count larger than its bytes allow is refused before anything is reserved.
    @Test func hugeCountsAreRefused() throws {
        // A keyed container whose "list" is an array claiming 2^40 elements in a few bytes.
        var bytes: [UInt8] = [10, 0, 0, 0, 0, 1, 4] + Array("list".utf8)
        bytes += [9, 6, 0, 0, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]
        let length = UInt32(bytes.count - 5)
        bytes[1] = UInt8(length & 0xFF)
        #expect(throws: (any Error).self) { try BinaryDecoder().decodeBinaryCodable(Outer.self, from: bytes) }
        #expect(outcome(Outer.self, bytes, BinaryDecoder()) == outcome(Outer.self, bytes, generic.decoder))
    }
}

extension Array where Element == UInt8 {
    fileprivate func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { Array(self[$0..<$0 + subsequence.count]) == subsequence }
    }
}
