/// Reads the entries of one keyed container (tag 10) for a ``BinaryCodable`` value, in place.
///
/// Keys may come in any order and unknown keys are ignored: a lookup tries the entry after the
/// last one found first (keys are usually asked for in the order they were written), then scans
/// the container, as `BinaryDecoder`'s keyed containers do. Every read throws on anything it does
/// not take (a missing required key, nil for a required value, another tag, a number out of
/// range...); `BinaryDecoder` then decodes the message through `Codable` instead.
public struct BinaryKeyedReader {
    let reader: BinaryReader
    let bodyStart: Int
    let bodyEnd: Int
    let count: Int
    /// The containers around this container's values.
    let depth: Int
    let maxDepth: Int
    /// The entry after the last one found, and its index.
    var cursorOffset: Int
    var cursorIndex = 0

    /// Reads the header of the keyed container at `input`'s offset and moves the offset past the
    /// container.
    @usableFromInline
    init(_ input: inout BinaryValueReader) throws {
        // The type only names the error, which this path never shows (`Any`: no metadata look-up).
        let header = try input.reader.readContainerHeader(BinaryFormat.tagKeyed, as: Any.self, input.offset, input.end)
        let body = try input.body(header)
        reader = input.reader
        bodyStart = header.bodyStart
        bodyEnd = header.bodyEnd
        count = header.count
        depth = body.depth
        maxDepth = body.maxDepth
        cursorOffset = header.bodyStart
        input.offset = header.bodyEnd
    }

    // MARK: Reading values

    /// The value of `key`.
    @inlinable
    public mutating func decode<T: BinaryValue>(_ type: T.Type, forKey key: StaticString) throws -> T {
        var input = try value(forKey: key)
        return try T.read(from: &input)
    }

    /// The value of `key`, or nil if the key is absent or its value is nil.
    @inlinable
    public mutating func decodeIfPresent<T: BinaryValue>(_ type: T.Type, forKey key: StaticString) throws -> T? {
        guard var input = try valueIfPresent(forKey: key) else { return nil }
        return try T.read(from: &input)
    }

    /// A reader of the value of `key`; throws if there is none.
    @usableFromInline
    mutating func value(forKey key: StaticString) throws -> BinaryValueReader {
        let (start, end) = try find(key)
        guard start >= 0 else { throw BinaryCodableMiss() }
        return BinaryValueReader(reader: reader, offset: start, end: end, depth: depth, maxDepth: maxDepth)
    }

    /// A reader of the value of `key`, or nil if the key is absent or its value is nil.
    @usableFromInline
    mutating func valueIfPresent(forKey key: StaticString) throws -> BinaryValueReader? {
        let (start, end) = try find(key)
        if start < 0 || reader.byte(start) == BinaryFormat.tagNil { return nil }
        return BinaryValueReader(reader: reader, offset: start, end: end, depth: depth, maxDepth: maxDepth)
    }

    /// The bytes (tag 8) of `key`.
    public mutating func decode(_ type: [UInt8].Type, forKey key: StaticString) throws -> [UInt8] {
        let (start, end) = try find(key)
        guard start >= 0 else { throw BinaryCodableMiss() }
        var offset = start
        return Array(try reader.readBytes(&offset, end, as: [UInt8].self))
    }

    /// The bytes (tag 8) of `key`, or nil if the key is absent or its value is nil.
    public mutating func decodeIfPresent(_ type: [UInt8].Type, forKey key: StaticString) throws -> [UInt8]? {
        let (start, end) = try find(key)
        if start < 0 || reader.byte(start) == BinaryFormat.tagNil { return nil }
        var offset = start
        return Array(try reader.readBytes(&offset, end, as: [UInt8].self))
    }

    // MARK: Lookup

    /// The bounds of the value of the first entry named `key` (start -1 if there is none); throws
    /// if the container is malformed.
    @inline(__always)
    mutating func find(_ key: StaticString) throws -> (start: Int, end: Int) {
        let found = key.withUTF8Buffer { find(UnsafeRawBufferPointer($0)) }
        guard found.start != -2 else { throw BinaryCodableMiss() }
        return found
    }

    /// `BinaryReader.find` in this container; start -2 for a malformed container.
    private mutating func find(_ name: UnsafeRawBufferPointer) -> (start: Int, end: Int) {
        reader.find(name, bodyStart: bodyStart, bodyEnd: bodyEnd, count: count, cursorOffset: &cursorOffset, cursorIndex: &cursorIndex)
    }
}
