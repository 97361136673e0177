/// Writes the entries of one keyed container (tag 10) for a ``BinaryCodable`` value, straight into
/// the encoder's buffer: each key (varint length and UTF-8) then its value. The container's length
/// and entry count are back-patched when the value's `encode(to:)` returns.
///
/// Mirror the type's `Encodable.encode(to:)`: the same keys in the same order, `encode` where it
/// calls `encode` and `encodeIfPresent` (nil writes nothing) where it calls `encodeIfPresent`, as
/// the synthesized conformance does for optionals.
public struct BinaryKeyedWriter {
    let writer: BinaryWriter
    /// Where the container's 4-byte length is.
    let lengthOffset: Int
    /// Entries written so far.
    var count = 0

    /// Begins a keyed container at the end of `writer`'s output.
    init(_ writer: BinaryWriter) {
        self.writer = writer
        lengthOffset = writer.beginContainer(tag: BinaryFormat.tagKeyed)
    }

    /// Back-patches the container's length and count.
    func finish() {
        writer.endContainer(lengthOffset: lengthOffset, count: count)
    }

    @inline(__always)
    private func writeKey(_ key: StaticString) {
        key.withUTF8Buffer { writer.writeLengthPrefixed(UnsafeRawBufferPointer($0)) }
    }

    /// Writes `value` under `key`.
    public mutating func encode<T: BinaryValue>(_ value: T, forKey key: StaticString) {
        writeKey(key)
        value.write(to: BinaryValueWriter(writer))
        count &+= 1
    }

    /// Writes `value` under `key` unless it is nil.
    public mutating func encodeIfPresent<T: BinaryValue>(_ value: T?, forKey key: StaticString) {
        if let value { encode(value, forKey: key) }
    }

    /// Writes `bytes` under `key` as bytes (tag 8), as `Codable` writes `[UInt8]` in this format.
    public mutating func encode(_ bytes: [UInt8], forKey key: StaticString) {
        writeKey(key)
        bytes.withUnsafeBytes { writer.writeBytes($0) }
        count &+= 1
    }

    /// Writes `bytes` under `key` as bytes unless it is nil.
    public mutating func encodeIfPresent(_ bytes: [UInt8]?, forKey key: StaticString) {
        if let bytes { encode(bytes, forKey: key) }
    }
}
