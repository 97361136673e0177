/// A message type that writes and reads its own Wire binary encoding, bypassing the `Codable`
/// machinery (existential containers, boxed keys, per-field dynamic dispatch) on the hot paths.
///
/// `BinaryEncoder` and `BinaryDecoder` take this path for conforming values, at the top level and
/// nested anywhere; nested conforming values inside a conforming type are written and read
/// directly by the parent's code. The contract, which the tests of every conformance check:
///
/// - `encode(to:)` writes exactly the bytes the type's `Encodable.encode(to:)` writes through
///   `BinaryEncoder`: the same entries in the same order, optionals written with
///   `encodeIfPresent` (nil omits the key) where `Codable` does so.
/// - `init(from:)` reads what `Decodable.init(from:)` reads, to the same value. It may be
///   stricter, never looser: on any problem (a missing required key, another tag, a value out of
///   range, malformed input...) it just throws, and `BinaryDecoder` then decodes the same bytes
///   through `Codable`, which succeeds with the same value or throws today's `DecodingError` with
///   its coding path. Keys may come in any order; unknown keys are ignored.
///
/// ```swift
/// extension Point: BinaryCodable {
///     public func encode(to writer: inout BinaryKeyedWriter) {
///         writer.encode(x, forKey: "x")
///         writer.encodeIfPresent(name, forKey: "name")
///     }
///     public init(from reader: inout BinaryKeyedReader) throws {
///         x = try reader.decode(Int.self, forKey: "x")
///         name = try reader.decodeIfPresent(String.self, forKey: "name")
///     }
/// }
/// ```
public protocol BinaryCodable: Codable, BinaryValue {
    /// Writes this value's entries, in the order its `Encodable.encode(to:)` writes them.
    func encode(to writer: inout BinaryKeyedWriter)
    /// Reads a value from its entries, as its `Decodable.init(from:)` would.
    init(from reader: inout BinaryKeyedReader) throws
}

extension BinaryCodable {
    /// Writes this value as a keyed container.
    @inlinable
    public func write(to output: BinaryValueWriter) {
        var writer = BinaryKeyedWriter(output)
        encode(to: &writer)
        writer.finish()
    }

    /// Reads a keyed container as a value of this type.
    @inlinable
    public static func read(from input: inout BinaryValueReader) throws -> Self {
        var reader = try BinaryKeyedReader(&input)
        return try Self(from: &reader)
    }
}

// MARK: Entry points for BinaryEncoder and BinaryDecoder (type-erased through `any BinaryCodable.Type`)

extension BinaryCodable {
    /// Writes `value`, which is of type `Self`.
    @inline(__always)
    static func binaryWrite<V>(_ value: V, to writer: BinaryWriter) {
        unsafeBitCast(value, to: Self.self).write(to: BinaryValueWriter(writer))
    }

    /// Reads the value at `start..<end` as `Self`, returned as `R` (which is `Self`); `depth` counts
    /// the containers around it as `BinaryDecoderImpl.decodeValue` does.
    @inline(__always)
    static func binaryRead<R>(as type: R.Type, reader: BinaryReader, start: Int, end: Int, depth: Int, maxDepth: Int) throws -> R {
        var input = BinaryValueReader(reader: reader, offset: start, end: end, depth: depth, maxDepth: maxDepth)
        return unsafeBitCast(try read(from: &input), to: R.self)
    }
}
