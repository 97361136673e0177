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
        let context = BinaryDecodingContext(maxDepth: maxDepth, userInfo: userInfo)
        defer { context.finish() }
        return try BinaryDecoderImpl.decodeValue(type, reader: reader, start: 0, end: end, parent: nil, component: .none, context: context, depth: 0)
    }
}
