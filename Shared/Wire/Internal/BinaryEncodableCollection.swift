/// Arrays of any `Encodable` element and `[String: V]` dictionaries of any `Encodable` value are
/// written through this instead of their own `encode(to:)`: the count is known up front, so the
/// container is written in one pass, each element goes straight to `encodeValue` (no
/// `UnkeyedEncodingContainer` or `KeyedEncodingContainer` box per collection, no `CodingKey` per
/// dictionary entry), and a dictionary's keys are copied straight from its strings. The bytes are
/// the ones `encode(to:)` would write (a tag-9 array; a tag-10 keyed container keyed by the
/// strings).
protocol BinaryEncodableCollection {
    /// Writes `value`, which is of type `Self`.
    static func binaryEncode<V>(_ value: V, writer: BinaryWriter, parent: BinaryEncoderImpl?, component: BinaryPathComponent) throws
}

extension BinaryEncoderImpl {
    /// The parent of a collection's elements in coding paths: the collection's own position.
    @inline(__always)
    static func collectionNode(writer: BinaryWriter, parent: BinaryEncoderImpl?, component: BinaryPathComponent) -> BinaryEncoderImpl? {
        if case .none = component { return parent }
        return BinaryEncoderImpl(writer: writer, parent: parent, component: component, valueOffset: -1)
    }
}

extension Array: BinaryEncodableCollection where Element: Encodable {
    static func binaryEncode<V>(_ value: V, writer: BinaryWriter, parent: BinaryEncoderImpl?, component: BinaryPathComponent) throws {
        let array = unsafeBitCast(value, to: [Element].self)
        let node = BinaryEncoderImpl.collectionNode(writer: writer, parent: parent, component: component)
        let lengthOffset = writer.beginSized(tag: BinaryFormat.tagArray, count: array.count)
        let depth = writer.frames.count
        var index = 0
        for element in array {
            try BinaryEncoderImpl.encodeValue(element, writer: writer, parent: node, component: .index(index))
            writer.closeFrames(downTo: depth)
            index &+= 1
        }
        try writer.endSized(lengthOffset: lengthOffset)
    }
}

extension Dictionary: BinaryEncodableCollection where Key == String, Value: Encodable {
    static func binaryEncode<V>(_ value: V, writer: BinaryWriter, parent: BinaryEncoderImpl?, component: BinaryPathComponent) throws {
        let dictionary = unsafeBitCast(value, to: [String: Value].self)
        let node = BinaryEncoderImpl.collectionNode(writer: writer, parent: parent, component: component)
        let lengthOffset = writer.beginSized(tag: BinaryFormat.tagKeyed, count: dictionary.count)
        let depth = writer.frames.count
        for (key, element) in dictionary {
            writer.writeStringPayload(key)
            try BinaryEncoderImpl.encodeValue(element, writer: writer, parent: node, component: .name(key))
            writer.closeFrames(downTo: depth)
        }
        try writer.endSized(lengthOffset: lengthOffset)
    }
}
