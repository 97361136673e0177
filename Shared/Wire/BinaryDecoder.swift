/// Decodes `Decodable` values from the Wire binary format written by `BinaryEncoder` (see
/// `BinaryFormat` for the byte layout).
///
/// Errors are `DecodingError`s whose `codingPath` names the failing field (array elements as
/// `Index N` keys): `keyNotFound` for a missing non-optional key (its path is the container's, the
/// key is the error's associated value), `typeMismatch` for a value of another kind than asked,
/// `valueNotFound` for nil where a value is required, and `dataCorrupted` for truncated or
/// malformed input, invalid UTF-8, a number that does not fit the requested type, nesting deeper
/// than `maxDepth`, or bytes left after the top-level value. Malformed input never crashes the
/// decoder nor makes it allocate more than the input's size.
///
/// Unknown keys are ignored and keys may come in any order, so a message type can gain optional
/// fields without breaking older readers or writers.
///
/// Decoders and containers must not be kept past the `init(from:)` call they were handed to: they
/// read the input buffer in place, and the ones of a collection's elements are reused for the next
/// element.
///
/// Values of ``BinaryCodable`` types (at the top level or nested) are first read by their own
/// `init(from: inout BinaryKeyedReader)`; when that does not take the input, the same bytes are
/// decoded through `Decodable`, so results and errors are those of the `Codable` path.
///
/// Performance notes: arrays of any element and `[String: V]` dictionaries are read in one pass
/// (count known up front, no `CodingKey` per dictionary entry), the elements of a collection share
/// one decoder and one `KeyedDecodingContainer` per element type, and `String`, `Int`, `Double`,
/// `Bool`, `Date`, `Data`, `[UInt8]`, `[String]`, `[Int]`, `[Double]` and `[String: String]` are
/// read without going through `init(from:)`.
public struct BinaryDecoder: Sendable {
    /// The deepest nesting of values (structs, arrays, ...) accepted; deeper input is
    /// `dataCorrupted`. It bounds the recursion of a decode.
    public var maxDepth: Int
    /// Handed to the values being decoded as `Decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]
    /// Whether ``BinaryCodable`` values read themselves first (the default); false sends every value
    /// through its `Decodable` conformance (same results, slower: for tests and benchmarks).
    public var useBinaryCodable = true

    public init(maxDepth: Int = 64) {
        self.maxDepth = maxDepth
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBytes { try decode(type, from: $0) }
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: ArraySlice<UInt8>) throws -> T {
        try bytes.withUnsafeBytes { try decode(type, from: $0) }
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        let (reader, end) = try topLevelValue(bytes)
        var usesBinaryCodable = useBinaryCodable
        if usesBinaryCodable, case .binaryCodable(let codable) = BinaryDecodeKind.of(T.self) {
            if let value = try? codable.binaryRead(as: T.self, reader: reader, start: 0, end: end, depth: 0, maxDepth: maxDepth) {
                return value
            }
            // Decoded again through `Decodable`: it throws today's error with its coding path (or
            // takes what the fast path does not). Nested values need not try their fast path again.
            usesBinaryCodable = false
        }
        let context = BinaryDecodingContext(maxDepth: maxDepth, userInfo: userInfo, usesBinaryCodable: usesBinaryCodable)
        defer { context.finish() }
        return try BinaryDecoderImpl.decodeValue(type, reader: reader, start: 0, end: end, parent: nil, component: .none, context: context, depth: 0)
    }

    /// A reader of `bytes` and the end of the value they hold; throws if they are empty, do not hold
    /// a whole value, or hold more.
    private func topLevelValue(_ bytes: UnsafeRawBufferPointer) throws -> (BinaryReader, Int) {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "Empty input."))
        }
        let reader = BinaryReader(base: base)
        let end = reader.skip(0, bytes.count)
        guard end >= 0 else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: reader.malformedDescription(at: 0, bytes.count)))
        }
        guard end == bytes.count else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: [],
                debugDescription: "\(bytes.count - end) unexpected bytes after the top-level value."))
        }
        return (reader, end)
    }

    /// Decodes `bytes` by `T`'s ``BinaryCodable`` conformance alone, without falling back (for
    /// tests): throws whatever that path throws.
    func decodeBinaryCodable<T: BinaryCodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBytes { buffer in
            let (reader, end) = try topLevelValue(buffer)
            var input = BinaryValueReader(reader: reader, offset: 0, end: end, depth: 0, maxDepth: maxDepth)
            return try T.read(from: &input)
        }
    }
}
