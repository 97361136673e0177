/// A value that ``BinaryCodable`` types write and read directly as one of their entries (or as an
/// element of an array or dictionary entry), with the same bytes as its `Codable` conformance
/// writes through `BinaryEncoder`.
///
/// Wire conforms `String`, `Bool`, the integers except `UInt8`, `Double`, `Float`, `Date`, `Data`,
/// arrays of values and `[String: Value]` dictionaries; every ``BinaryCodable`` type is one (a
/// keyed container). `[UInt8]` is written as bytes (tag 8), like its `Codable` form in this
/// format, through the dedicated overloads of ``BinaryKeyedWriter`` and ``BinaryKeyedReader``.
///
/// An enum whose raw value is a `String` conforms by declaring it (`extension Mode: BinaryValue {}`):
/// it is written as its raw value, as its `Codable` conformance does.
public protocol BinaryValue {
    /// Writes this value (tag and payload) at the end of the output.
    func write(to output: BinaryValueWriter)
    /// Reads one value of this type at the input's offset and moves the offset past it; throws on
    /// anything unexpected (the caller then falls back to `Codable`).
    static func read(from input: inout BinaryValueReader) throws -> Self
}

extension BinaryValue where Self: RawRepresentable, RawValue == String {
    public func write(to output: BinaryValueWriter) {
        output.writer.writeString(rawValue)
    }

    public static func read(from input: inout BinaryValueReader) throws -> Self {
        guard let value = Self(rawValue: try input.reader.readString(&input.offset, input.end)) else {
            throw BinaryCodableMiss()
        }
        return value
    }
}

/// Where a ``BinaryValue`` writes itself: the output of one `BinaryEncoder.encode` call.
public struct BinaryValueWriter {
    let writer: BinaryWriter

    init(_ writer: BinaryWriter) {
        self.writer = writer
    }
}

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

    /// A reader of the values in the body of the container whose `header` was just read; throws
    /// if that container is nested too deep (as the `Codable` path would).
    @inline(__always)
    func body(_ header: BinaryReader.ContainerHeader) throws -> BinaryValueReader {
        guard depth < maxDepth else { throw BinaryCodableMiss() }
        return BinaryValueReader(reader: reader, offset: header.bodyStart, end: header.bodyEnd, depth: depth &+ 1, maxDepth: maxDepth)
    }
}

/// Thrown by the ``BinaryCodable`` path for input it does not take (a missing key, nil, another
/// tag, too deep...). Never seen by callers: `BinaryDecoder` then decodes through `Codable`.
struct BinaryCodableMiss: Error {}
