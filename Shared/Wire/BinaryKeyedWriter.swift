/// Writes the entries of one keyed container (tag 10) for a ``BinaryCodable`` value, straight into
/// the encoder's buffer: each key (varint length and UTF-8) then its value. The container's length
/// and entry count are back-patched when the value's `encode(to:)` returns.
///
/// Mirror the type's `Encodable.encode(to:)`: the same keys in the same order, `encode` where it
/// calls `encode` and `encodeIfPresent` (nil writes nothing) where it calls `encodeIfPresent`, as
/// the synthesized conformance does for optionals.
public struct BinaryKeyedWriter {
    @usableFromInline
    let output: BinaryValueWriter
    /// Where the container's 4-byte length is.
    let lengthOffset: Int
    /// Entries written so far.
    @usableFromInline
    var count = 0

    /// Begins a keyed container at the end of `output`.
    @usableFromInline
    init(_ output: BinaryValueWriter) {
        self.output = output
        lengthOffset = output.writer.beginContainer(tag: BinaryFormat.tagKeyed)
    }

    /// Back-patches the container's length and count.
    @usableFromInline
    func finish() {
        output.writer.endContainer(lengthOffset: lengthOffset, count: count)
    }

    /// Writes `value` under `key`.
    @inlinable
    public mutating func encode<T: BinaryValue>(_ value: T, forKey key: StaticString) {
        output.writeKey(key)
        value.write(to: output)
        count &+= 1
    }

    /// Writes `value` under `key` unless it is nil.
    @inlinable
    public mutating func encodeIfPresent<T: BinaryValue>(_ value: T?, forKey key: StaticString) {
        if let value { encode(value, forKey: key) }
    }

    /// Writes `bytes` under `key` as bytes (tag 8), as `Codable` writes `[UInt8]` in this format.
    public mutating func encode(_ bytes: [UInt8], forKey key: StaticString) {
        output.writeKey(key)
        bytes.withUnsafeBytes { output.writer.writeBytes($0) }
        count &+= 1
    }

    /// Writes `bytes` under `key` as bytes unless it is nil.
    public mutating func encodeIfPresent(_ bytes: [UInt8]?, forKey key: StaticString) {
        if let bytes { encode(bytes, forKey: key) }
    }
}
