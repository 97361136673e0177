/// Encodes `Encodable` values in the Wire binary format: a compact, self-describing
/// tag-length-value encoding (see `BinaryFormat` for the byte layout), several times faster than
/// Foundation's JSON.
///
/// ```swift
/// var frame: [UInt8] = [0, 0, 0, 0]          // room for a frame header
/// try BinaryEncoder().encode(message, appendingTo: &frame)
/// ```
///
/// Arrays of any element and `[String: V]` dictionaries are written in one pass without an
/// `UnkeyedEncodingContainer`/`KeyedEncodingContainer` per collection (same bytes as their own
/// `encode(to:)` would produce), and the common leaf types are written directly.
///
/// Values of ``BinaryCodable`` types (at the top level or nested) are written by their own
/// `encode(to: inout BinaryKeyedWriter)`, which writes the same bytes without the `Encoder` machinery.
///
/// Errors are `EncodingError`s. An encoder or container must not be used after the
/// `encode(to:)` call it was handed to has returned, nor a container after a value was written to
/// one of its enclosing containers (values are written in place, in order); doing so throws
/// `EncodingError.invalidValue`.
public struct BinaryEncoder: Sendable {
    /// Handed to the values being encoded as `Encoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]
    /// Whether ``BinaryCodable`` values write themselves (the default); false sends every value
    /// through its `Encodable` conformance (same bytes, slower: for tests and benchmarks).
    public var useBinaryCodable = true

    public init() {}

    /// Returns the encoding of `value`.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        try run(value, capacity: 1024) { Array($0) }
    }

    /// Appends the encoding of `value` to `buffer`, leaving what `buffer` held before untouched
    /// (so a frame header can be reserved first). On error `buffer` is unchanged.
    public func encode<T: Encodable>(_ value: T, appendingTo buffer: inout [UInt8]) throws {
        // Room the caller reserved (a frame of the expected size) sizes the output up front.
        let reserved = buffer.capacity - buffer.count
        try run(value, capacity: reserved >= 256 ? reserved : 1024) { buffer.append(contentsOf: $0) }
    }

    /// Encodes `value` and hands its bytes (valid during the call) to `output`.
    private func run<T: Encodable, R>(_ value: T, capacity: Int, _ output: (UnsafeBufferPointer<UInt8>) -> R) throws -> R {
        if useBinaryCodable, case .binaryCodable(let codable) = BinaryEncodeKind.of(T.self) {
            // Straight to the type's own writer (no `Encoder`, no open-container stack), in the
            // thread's reused buffer: such a value never sees `userInfo`.
            return try BinaryWriterCache.withWriter(capacity: capacity) { writer in
                codable.binaryWrite(value, to: writer)
                if let error = writer.deferredError { throw error }
                return output(writer.bytes)
            }
        }
        let writer = BinaryWriter(capacity: capacity, userInfo: userInfo)
        writer.usesBinaryCodable = useBinaryCodable
        writer.frames.reserveCapacity(8)
        try BinaryEncoderImpl.encodeValue(value, writer: writer, parent: nil, component: .none)
        writer.closeAll()
        if let error = writer.deferredError {
            throw error
        }
        return output(writer.bytes)
    }

    /// The encoding of `value` by its ``BinaryCodable`` conformance alone (for tests).
    func encodeBinaryCodable<T: BinaryCodable>(_ value: T) throws -> [UInt8] {
        let writer = BinaryWriter(capacity: 1024, userInfo: userInfo)
        value.write(to: BinaryValueWriter(writer))
        if let error = writer.deferredError {
            throw error
        }
        return Array(writer.bytes)
    }
}
