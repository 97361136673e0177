/// Where a ``BinaryValue`` writes itself: the output of one `BinaryEncoder.encode` call.
public struct BinaryValueWriter {
    @usableFromInline
    let writer: BinaryWriter

    @usableFromInline
    init(_ writer: BinaryWriter) {
        self.writer = writer
    }

    /// Writes a string value (tag 7).
    @usableFromInline
    func writeString(_ value: String) {
        writer.writeString(value)
    }

    /// Writes a key: its UTF-8 with a varint length, no tag.
    @usableFromInline
    func writeKey(_ key: String) {
        writer.writeStringPayload(key)
    }

    /// Writes a key given as a literal.
    @usableFromInline
    func writeKey(_ key: StaticString) {
        key.withUTF8Buffer { writer.writeLengthPrefixed(UnsafeRawBufferPointer($0)) }
    }

    /// Begins an array (tag 9) of `count` values; returns what `end` needs.
    @usableFromInline
    func beginArray(count: Int) -> Int {
        writer.beginSized(tag: BinaryFormat.tagArray, count: count)
    }

    /// Begins a keyed container (tag 10) of `count` entries; returns what `end` needs.
    @usableFromInline
    func beginKeyed(count: Int) -> Int {
        writer.beginSized(tag: BinaryFormat.tagKeyed, count: count)
    }

    /// Ends a container begun with `beginArray` or `beginKeyed`.
    @usableFromInline
    func end(_ lengthOffset: Int) {
        writer.endSizedRecording(lengthOffset: lengthOffset)
    }
}
