import Foundation

/// The `Encoder` handed to `Encodable.encode(to:)` for one value; it is also that value's
/// single-value container. All encoders of one `BinaryEncoder.encode` call share one
/// `BinaryWriter`. The coding path is kept as a parent chain and built only on demand.
final class BinaryEncoderImpl: Encoder, SingleValueEncodingContainer, BinaryCodingPathNode {
    enum State {
        /// Nothing written yet.
        case empty
        case keyed(depth: Int, lengthOffset: Int)
        case unkeyed(depth: Int, lengthOffset: Int)
        case single
        /// Misused (see `BinaryWriter.deferredError`); every container it hands out fails.
        case invalid
    }

    let writer: BinaryWriter
    let parent: BinaryEncoderImpl?
    let component: BinaryPathComponent
    /// Where this value's bytes must start. The value is written in place, so it can only be
    /// written while nothing else has been written after that point.
    let valueOffset: Int
    /// A nil byte was written at `valueOffset` as a stand-in (`superEncoder`); the value replaces it.
    let hasPlaceholder: Bool
    @exclusivity(unchecked) var state: State = .empty

    init(writer: BinaryWriter, parent: BinaryEncoderImpl?, component: BinaryPathComponent, valueOffset: Int, hasPlaceholder: Bool = false) {
        self.writer = writer
        self.parent = parent
        self.component = component
        self.valueOffset = valueOffset
        self.hasPlaceholder = hasPlaceholder
    }

    // MARK: Encoder

    var userInfo: [CodingUserInfoKey: Any] { writer.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        switch state {
        case .keyed(let depth, let lengthOffset):
            return KeyedEncodingContainer(BinaryKeyedEncodingContainer<Key>(impl: self, depth: depth, lengthOffset: lengthOffset))
        case .empty where claimPosition():
            let depth = writer.openFrame(tag: BinaryFormat.tagKeyed)
            let lengthOffset = writer.frames[depth].lengthOffset
            state = .keyed(depth: depth, lengthOffset: lengthOffset)
            return KeyedEncodingContainer(BinaryKeyedEncodingContainer<Key>(impl: self, depth: depth, lengthOffset: lengthOffset))
        default:
            recordMisuse("a keyed container")
            return KeyedEncodingContainer(BinaryKeyedEncodingContainer<Key>(impl: self, depth: Self.deadDepth, lengthOffset: -1))
        }
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        switch state {
        case .unkeyed(let depth, let lengthOffset):
            return BinaryUnkeyedEncodingContainer(impl: self, depth: depth, lengthOffset: lengthOffset)
        case .empty where claimPosition():
            let depth = writer.openFrame(tag: BinaryFormat.tagArray)
            let lengthOffset = writer.frames[depth].lengthOffset
            state = .unkeyed(depth: depth, lengthOffset: lengthOffset)
            return BinaryUnkeyedEncodingContainer(impl: self, depth: depth, lengthOffset: lengthOffset)
        default:
            recordMisuse("an unkeyed container")
            return BinaryUnkeyedEncodingContainer(impl: self, depth: Self.deadDepth, lengthOffset: -1)
        }
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        self
    }

    /// A depth that never matches an open container.
    static let deadDepth = Int.min / 2

    /// True, and the position is taken, if this value may be written now (nothing was written
    /// after its start; a stand-in nil byte is dropped).
    @inline(__always)
    private func claimPosition() -> Bool {
        if writer.count == valueOffset {
            return !hasPlaceholder
        }
        if hasPlaceholder && writer.count == valueOffset &+ 1 {
            writer.count = valueOffset
            return true
        }
        return false
    }

    private func misuseDescription(_ what: String) -> String {
        switch state {
        case .empty:
            return "Requested \(what) from an encoder after other values were written; an encoder can only be used during the encode(to:) call it was passed to."
        case .keyed: return "Requested \(what) from an encoder that already has a keyed container."
        case .unkeyed: return "Requested \(what) from an encoder that already has an unkeyed container."
        case .single: return "Requested \(what) from an encoder that already encoded a single value."
        case .invalid: return "Requested \(what) from an encoder that was already misused."
        }
    }

    private func recordMisuse(_ what: String) {
        writer.recordDeferred(.invalidValue(what, .init(codingPath: codingPath, debugDescription: misuseDescription(what))))
        state = .invalid
    }

    // MARK: SingleValueEncodingContainer

    @inline(__always)
    private func beginSingle(_ value: @autoclosure () -> Any) throws {
        if case .empty = state, claimPosition() {
            state = .single
            return
        }
        throw EncodingError.invalidValue(value(), .init(codingPath: codingPath, debugDescription: misuseDescription("a single value")))
    }

    func encodeNil() throws { try beginSingle(Optional<Int>.none as Any); writer.writeNil() }
    func encode(_ value: Bool) throws { try beginSingle(value); writer.writeBool(value) }
    func encode(_ value: String) throws { try beginSingle(value); writer.writeString(value) }
    func encode(_ value: Double) throws { try beginSingle(value); writer.writeDouble(value) }
    func encode(_ value: Float) throws { try beginSingle(value); writer.writeFloat(value) }
    func encode(_ value: Int) throws { try beginSingle(value); writer.writeSigned(Int64(value)) }
    func encode(_ value: Int8) throws { try beginSingle(value); writer.writeSigned(Int64(value)) }
    func encode(_ value: Int16) throws { try beginSingle(value); writer.writeSigned(Int64(value)) }
    func encode(_ value: Int32) throws { try beginSingle(value); writer.writeSigned(Int64(value)) }
    func encode(_ value: Int64) throws { try beginSingle(value); writer.writeSigned(value) }
    func encode(_ value: Int128) throws { try beginSingle(value); writer.writeSigned128(value) }
    func encode(_ value: UInt) throws { try beginSingle(value); writer.writeUnsigned(UInt64(value)) }
    func encode(_ value: UInt8) throws { try beginSingle(value); writer.writeUnsigned(UInt64(value)) }
    func encode(_ value: UInt16) throws { try beginSingle(value); writer.writeUnsigned(UInt64(value)) }
    func encode(_ value: UInt32) throws { try beginSingle(value); writer.writeUnsigned(UInt64(value)) }
    func encode(_ value: UInt64) throws { try beginSingle(value); writer.writeUnsigned(value) }
    func encode(_ value: UInt128) throws { try beginSingle(value); writer.writeUnsigned128(value) }

    func encode<T: Encodable>(_ value: T) throws {
        try beginSingle(value)
        try BinaryEncoderImpl.encodeValue(value, writer: writer, parent: self, component: .none)
    }

    // MARK: Encoding any value

    /// Writes `value` at the end of the buffer: directly for the types with a fast path, else by
    /// calling its `encode(to:)` with a new encoder whose path is `parent`'s plus `component`.
    static func encodeValue<T: Encodable>(_ value: T, writer: BinaryWriter, parent: BinaryEncoderImpl?, component: BinaryPathComponent) throws {
        if T.self == String.self {
            writer.writeString(unsafeBitCast(value, to: String.self))
            return
        }
        if T.self == Int.self {
            writer.writeSigned(Int64(unsafeBitCast(value, to: Int.self)))
            return
        }
        if T.self == Double.self {
            writer.writeDouble(unsafeBitCast(value, to: Double.self))
            return
        }
        if T.self == Bool.self {
            writer.writeBool(unsafeBitCast(value, to: Bool.self))
            return
        }
        if T.self == Date.self {
            writer.writeDouble(unsafeBitCast(value, to: Date.self).timeIntervalSince1970)
            return
        }
        if T.self == [String].self {
            let array = unsafeBitCast(value, to: [String].self)
            let lengthOffset = writer.beginSized(tag: BinaryFormat.tagArray, count: array.count)
            for element in array { writer.writeString(element) }
            try writer.endSized(lengthOffset: lengthOffset)
            return
        }
        if T.self == [String: String].self {
            let dictionary = unsafeBitCast(value, to: [String: String].self)
            let lengthOffset = writer.beginSized(tag: BinaryFormat.tagKeyed, count: dictionary.count)
            for (key, element) in dictionary {
                writer.writeStringPayload(key)
                writer.writeString(element)
            }
            try writer.endSized(lengthOffset: lengthOffset)
            return
        }
        if T.self == Data.self {
            unsafeBitCast(value, to: Data.self).withUnsafeBytes { writer.writeBytes($0) }
            return
        }
        if T.self == [UInt8].self {
            unsafeBitCast(value, to: [UInt8].self).withUnsafeBytes { writer.writeBytes($0) }
            return
        }
        if T.self == [Int].self {
            let array = unsafeBitCast(value, to: [Int].self)
            let lengthOffset = writer.beginSized(tag: BinaryFormat.tagArray, count: array.count)
            for element in array { writer.writeSigned(Int64(element)) }
            try writer.endSized(lengthOffset: lengthOffset)
            return
        }
        if T.self == [Double].self {
            let array = unsafeBitCast(value, to: [Double].self)
            let lengthOffset = writer.beginSized(tag: BinaryFormat.tagArray, count: array.count)
            for element in array { writer.writeDouble(element) }
            try writer.endSized(lengthOffset: lengthOffset)
            return
        }
        if T.self == URL.self {
            writer.writeString(unsafeBitCast(value, to: URL.self).absoluteString)
            return
        }
        if T.self == Decimal.self {
            writer.writeString(unsafeBitCast(value, to: Decimal.self).description)
            return
        }
        switch BinaryEncodeKind.of(T.self, local: &writer.kinds) {
        case .collection(let collection):
            try collection.binaryEncode(value, writer: writer, parent: parent, component: component)
            return
        case .binaryCodable(let codable) where writer.usesBinaryCodable:
            codable.binaryWrite(value, to: writer)
            return
        default:
            break
        }
        let child = BinaryEncoderImpl(writer: writer, parent: parent, component: component, valueOffset: writer.count)
        try value.encode(to: child)
        if case .empty = child.state, writer.count == child.valueOffset {
            writer.writeEmptyKeyed()
        }
    }
}
