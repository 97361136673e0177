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
///
/// (The generic parts are `@inlinable` so that they are specialized for the message types in the
/// modules that declare them: no generic metadata look-ups per value.)
public protocol BinaryValue {
    /// Writes this value (tag and payload) at the end of the output.
    func write(to output: BinaryValueWriter)
    /// Reads one value of this type at the input's offset and moves the offset past it; throws on
    /// anything unexpected (the caller then falls back to `Codable`).
    static func read(from input: inout BinaryValueReader) throws -> Self
}

extension BinaryValue where Self: RawRepresentable, RawValue == String {
    @inlinable
    public func write(to output: BinaryValueWriter) {
        output.writeString(rawValue)
    }

    @inlinable
    public static func read(from input: inout BinaryValueReader) throws -> Self {
        guard let value = Self(rawValue: try input.readString()) else {
            throw BinaryCodableMiss()
        }
        return value
    }
}

/// Thrown by the ``BinaryCodable`` path for input it does not take (a missing key, nil, another
/// tag, too deep...). Never seen by callers: `BinaryDecoder` then decodes through `Codable`.
@usableFromInline
struct BinaryCodableMiss: Error {
    @usableFromInline
    init() {}
}
