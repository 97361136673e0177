/// The unkeyed container (tag 9) of one `BinaryEncoderImpl`; elements are written straight into
/// the shared buffer.
struct BinaryUnkeyedEncodingContainer: UnkeyedEncodingContainer {
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

    /// The number of elements encoded so far.
    var count: Int {
        if depth >= 0, depth < writer.frames.count, writer.frames[depth].lengthOffset == lengthOffset {
            return writer.frames[depth].count
        }
        return 0
    }

    private var index: Int { count }

    /// Closes containers nested in this one; throws if this container is closed.
    @inline(__always)
    private func begin(_ value: @autoclosure () -> Any) throws {
        guard writer.activate(depth: depth, lengthOffset: lengthOffset) else {
            throw closedError(value())
        }
    }

    @inline(__always)
    private func end() {
        writer.frames[depth].count &+= 1
    }

    @inline(never)
    private func closedError(_ value: Any) -> EncodingError {
        .invalidValue(value, .init(
            codingPath: impl.codingPath,
            debugDescription: "Encoded into an unkeyed container after it was closed (a value was written to an enclosing container since)."))
    }

    mutating func encodeNil() throws { try begin(Optional<Int>.none as Any); writer.writeNil(); end() }
    mutating func encode(_ value: Bool) throws { try begin(value); writer.writeBool(value); end() }
    mutating func encode(_ value: String) throws { try begin(value); writer.writeString(value); end() }
    mutating func encode(_ value: Double) throws { try begin(value); writer.writeDouble(value); end() }
    mutating func encode(_ value: Float) throws { try begin(value); writer.writeFloat(value); end() }
    mutating func encode(_ value: Int) throws { try begin(value); writer.writeSigned(Int64(value)); end() }
    mutating func encode(_ value: Int8) throws { try begin(value); writer.writeSigned(Int64(value)); end() }
    mutating func encode(_ value: Int16) throws { try begin(value); writer.writeSigned(Int64(value)); end() }
    mutating func encode(_ value: Int32) throws { try begin(value); writer.writeSigned(Int64(value)); end() }
    mutating func encode(_ value: Int64) throws { try begin(value); writer.writeSigned(value); end() }
    mutating func encode(_ value: Int128) throws { try begin(value); writer.writeSigned128(value); end() }
    mutating func encode(_ value: UInt) throws { try begin(value); writer.writeUnsigned(UInt64(value)); end() }
    mutating func encode(_ value: UInt8) throws { try begin(value); writer.writeUnsigned(UInt64(value)); end() }
    mutating func encode(_ value: UInt16) throws { try begin(value); writer.writeUnsigned(UInt64(value)); end() }
    mutating func encode(_ value: UInt32) throws { try begin(value); writer.writeUnsigned(UInt64(value)); end() }
    mutating func encode(_ value: UInt64) throws { try begin(value); writer.writeUnsigned(value); end() }
    mutating func encode(_ value: UInt128) throws { try begin(value); writer.writeUnsigned128(value); end() }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try begin(value)
        let mark = writer.count
        do {
            try BinaryEncoderImpl.encodeValue(value, writer: writer, parent: impl, component: .index(index))
        } catch {
            writer.rollback(to: mark, depth: depth)
            throw error
        }
        end()
    }

    /// Counts a new element and returns the encoder for it (a dead one if this container is
    /// closed; the error is then thrown at the end of the encode).
    private func nestedEncoder(placeholder: Bool) -> BinaryEncoderImpl {
        guard writer.activate(depth: depth, lengthOffset: lengthOffset) else {
            writer.recordDeferred(closedError("a nested container"))
            return BinaryEncoderImpl(writer: writer, parent: impl, component: .index(index), valueOffset: -1)
        }
        let component = BinaryPathComponent.index(index)
        end()
        let offset = writer.count
        if placeholder { writer.writeNil() }
        return BinaryEncoderImpl(writer: writer, parent: impl, component: component, valueOffset: offset, hasPlaceholder: placeholder)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        nestedEncoder(placeholder: false).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        nestedEncoder(placeholder: false).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        nestedEncoder(placeholder: true)
    }
}
