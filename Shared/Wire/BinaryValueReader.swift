/// Where a ``BinaryValue`` reads itself from: the input of one `BinaryDecoder.decode` call, an
/// offset in it, the end the value must fit before, and how deep in containers it is.
public struct BinaryValueReader {
    let reader: BinaryReader
    /// Where the next value starts.
    var offset: Int
    /// The exclusive end the value must fit before.
    let end: Int
    /// The containers around the value, counted as `BinaryDecoderImpl.decodeValue` counts them.
    let depth: Int
    let maxDepth: Int

    init(reader: BinaryReader, offset: Int, end: Int, depth: Int, maxDepth: Int) {
        self.reader = reader
        self.offset = offset
        self.end = end
        self.depth = depth
        self.maxDepth = maxDepth
    }

    /// A container's element count, what to reserve for its elements, and the reader of its body.
    @usableFromInline
    struct Container {
        @usableFromInline var count: Int
        @usableFromInline var capacity: Int
        @usableFromInline var body: BinaryValueReader
    }

    /// Reads the header of the container with `tag` here and moves past the container; throws if
    /// it is not one or is nested too deep (as the `Codable` path would). `stride`: the memory an
    /// element takes once read, to reserve room for all of them unless that would take more than
    /// the container's bytes (a malformed count must not make the decoder allocate much more
    /// than its input; the collection then grows as elements are read).
    @usableFromInline
    mutating func openContainer(tag: UInt8, stride: Int) throws -> Container {
        let header = try reader.readContainerHeader(tag, as: Any.self, offset, end)
        let body = try self.body(header)
        offset = header.bodyEnd
        let capacity = min(header.count, max(16, (header.bodyEnd &- header.bodyStart) / max(1, stride)))
        return Container(count: header.count, capacity: capacity, body: body)
    }

    /// Opens an array (tag 9); see `openContainer`.
    @usableFromInline
    mutating func openArray(stride: Int) throws -> Container {
        try openContainer(tag: BinaryFormat.tagArray, stride: stride)
    }

    /// Opens a keyed container (tag 10); see `openContainer`.
    @usableFromInline
    mutating func openKeyed(stride: Int) throws -> Container {
        try openContainer(tag: BinaryFormat.tagKeyed, stride: stride)
    }

    /// A reader of the values in the body of the container whose `header` was just read; throws
    /// if that container is nested too deep.
    @inline(__always)
    func body(_ header: BinaryReader.ContainerHeader) throws -> BinaryValueReader {
        guard depth < maxDepth else { throw BinaryCodableMiss() }
        return BinaryValueReader(reader: reader, offset: header.bodyStart, end: header.bodyEnd, depth: depth &+ 1, maxDepth: maxDepth)
    }

    /// Reads the key of a keyed container's entry (varint length and UTF-8, no tag).
    @usableFromInline
    mutating func readKey() throws -> String {
        let count = reader.length(&offset, end)
        guard offset >= 0 else { throw BinaryCodableMiss() }
        let key = try reader.makeString(offset, count)
        offset &+= count
        return key
    }

    /// Reads a string value (tag 7).
    @usableFromInline
    mutating func readString() throws -> String {
        try reader.readString(&offset, end)
    }
}
