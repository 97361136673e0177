/// The keyed container (tag 10) of one `BinaryEncoderImpl`. Each entry is written straight into
/// the shared buffer: the key's UTF-8 with a varint length, then the value.
struct BinaryKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let impl: BinaryEncoderImpl
    let writer: BinaryWriter
    /// The container's index in `writer.frames`, and its identity there.
    let depth: Int
    let lengthOffset: Int

    init(impl: BinaryEncoderImpl, depth: Int, lengthOffset: Int) {
        self.impl = impl
        self.writer = impl.writer
        self.depth = depth
        self.lengthOffset = lengthOffset
    }

    var codingPath: [any CodingKey] { impl.codingPath }

    /// Closes containers nested in this one and writes `key`; throws if this container is closed.
    @inline(__always)
    private func begin(_ key: Key, _ value: @autoclosure () -> Any) throws {
        guard writer.activate(depth: depth, lengthOffset: lengthOffset) else {
            throw closedError(value(), key)
        }
        writer.writeStringPayload(key.stringValue)
    }

    @inline(__always)
    private func end() {
        writer.frames[depth].count &+= 1
    }

    @inline(never)
    private func closedError(_ value: Any, _ key: any CodingKey) -> EncodingError {
        .invalidValue(value, .init(
            codingPath: impl.codingPath(appending: key),
            debugDescription: "Encoded into a keyed container after it was closed (a value was written to an enclosing container since)."))
    }

    mutating func encodeNil(forKey key: Key) throws { try begin(key, Optional<Int>.none as Any); writer.writeNil(); end() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try begin(key, value); writer.writeBool(value); end() }
    mutating func encode(_ value: String, forKey key: Key) throws { try begin(key, value); writer.writeString(value); end() }
    mutating func encode(_ value: Double, forKey key: Key) throws { try begin(key, value); writer.writeDouble(value); end() }
    mutating func encode(_ value: Float, forKey key: Key) throws { try begin(key, value); writer.writeFloat(value); end() }
    mutating func encode(_ value: Int, forKey key: Key) throws { try begin(key, value); writer.writeSigned(Int64(value)); end() }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try begin(key, value); writer.writeSigned(Int64(value)); end() }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try begin(key, value); writer.writeSigned(Int64(value)); end() }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try begin(key, value); writer.writeSigned(Int64(value)); end() }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try begin(key, value); writer.writeSigned(value); end() }
    mutating func encode(_ value: Int128, forKey key: Key) throws { try begin(key, value); writer.writeSigned128(value); end() }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try begin(key, value); writer.writeUnsigned(UInt64(value)); end() }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try begin(key, value); writer.writeUnsigned(UInt64(value)); end() }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try begin(key, value); writer.writeUnsigned(UInt64(value)); end() }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try begin(key, value); writer.writeUnsigned(UInt64(value)); end() }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try begin(key, value); writer.writeUnsigned(value); end() }
    mutating func encode(_ value: UInt128, forKey key: Key) throws { try begin(key, value); writer.writeUnsigned128(value); end() }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        guard writer.activate(depth: depth, lengthOffset: lengthOffset) else {
            throw closedError(value, key)
        }
        let mark = writer.count
        writer.writeStringPayload(key.stringValue)
        do {
            try BinaryEncoderImpl.encodeValue(value, writer: writer, parent: impl, component: .key(key))
        } catch {
            writer.rollback(to: mark, depth: depth)
            throw error
        }
        end()
    }

    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }

    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }

    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }

    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }

    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }

    /// Writes `key`, counts the entry, and returns the encoder for its value (a dead one if this
    /// container is closed; the error is then thrown at the end of the encode).
    private func nestedEncoder(key: any CodingKey, placeholder: Bool) -> BinaryEncoderImpl {
        guard writer.activate(depth: depth, lengthOffset: lengthOffset) else {
            writer.recordDeferred(closedError("a nested container", key))
            return BinaryEncoderImpl(writer: writer, parent: impl, component: .key(key), valueOffset: -1)
        }
        writer.writeStringPayload(key.stringValue)
        end()
        let offset = writer.count
        if placeholder { writer.writeNil() }
        return BinaryEncoderImpl(writer: writer, parent: impl, component: .key(key), valueOffset: offset, hasPlaceholder: placeholder)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        nestedEncoder(key: key, placeholder: false).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        nestedEncoder(key: key, placeholder: false).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        nestedEncoder(key: BinaryCodingKey.superKey, placeholder: true)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        nestedEncoder(key: key, placeholder: true)
    }
}
