/// # The Wire binary format (version 1)
///
/// A compact, self-describing tag-length-value encoding of Swift `Codable` values, written by
/// `BinaryEncoder` and read by `BinaryDecoder`. Every value starts with one tag byte. All
/// fixed-width numbers are little endian. A *varint* is unsigned LEB128: 7 bits per byte, least
/// significant group first, high bit set on every byte but the last (at most 10 bytes for 64-bit
/// values, 19 for 128-bit values). Non-canonical (over-long) varints are accepted by the decoder.
///
/// | tag | meaning            | payload after the tag                                             |
/// |-----|--------------------|-------------------------------------------------------------------|
/// | 0   | nil                | none                                                              |
/// | 1   | false              | none                                                              |
/// | 2   | true               | none                                                              |
/// | 3   | signed integer     | zigzag varint: `(n << 1) ^ (n >> 63)` (127 for 128-bit integers)  |
/// | 4   | unsigned integer   | varint                                                            |
/// | 5   | Float64            | 8 bytes, IEEE 754 bit pattern                                     |
/// | 6   | Float32            | 4 bytes, IEEE 754 bit pattern                                     |
/// | 7   | string             | varint byte count, then that many bytes of UTF-8                  |
/// | 8   | bytes              | varint byte count, then the raw bytes                             |
/// | 9   | array (unkeyed)    | UInt32 body length, then body: varint count, count values         |
/// | 10  | keyed container    | UInt32 body length, then body: varint count, count entries; an    |
/// |     |                    | entry is a key (varint byte count + UTF-8, no tag) then a value   |
///
/// The body length of tags 9 and 10 counts every byte after the 4 length bytes (the count varint
/// included), so a reader skips any value in O(1) without looking inside it. Tags above 10 are
/// invalid.
///
/// ## Mapping of Swift values
/// - `Int`, `Int8` ... `Int64`, `Int128` are written with tag 3; `UInt` ... `UInt128` with tag 4.
///   The decoder accepts either tag for any integer type when the value fits, else it throws
///   `DecodingError.dataCorrupted`.
/// - `Double` is written with tag 5, `Float` with tag 6. `Double` decodes from tag 5 or 6 (exact
///   widening). `Float` decodes from tag 6, or from tag 5 when the value is within `Float`'s range
///   (it is then rounded to the nearest `Float`; infinities and NaN carry over); a finite `Double`
///   outside `Float`'s range is `dataCorrupted`.
/// - `Bool` is tag 1 or 2; `String` is tag 7 and must be valid UTF-8 when decoded.
/// - `Date` is tag 5: seconds since 1970-01-01T00:00:00Z (`timeIntervalSince1970`); it also decodes
///   from tag 6.
/// - `Data` and `[UInt8]` are tag 8. `[UInt8]` also decodes from a tag-9 array of integers.
/// - `URL` is tag 7 with its `absoluteString`; `Decimal` is tag 7 with its `description`.
/// - Keyed containers (structs, classes, enums with associated values, and dictionaries whose key
///   is `String`, `Int` or `CodingKeyRepresentable`) are tag 10, keyed by `CodingKey.stringValue`.
///   Other dictionaries are, as with Foundation's encoders, tag 9 arrays of alternating key and value.
/// - Unkeyed containers (arrays, sets, ...) are tag 9.
/// - `encodeNil` writes tag 0. `encodeIfPresent` of nil omits the key. `decodeIfPresent` returns
///   nil for an absent key or a tag-0 value. The keyless `superEncoder()` / `superDecoder()` use the
///   key `"super"`.
/// - A value whose `encode(to:)` writes nothing is written as an empty keyed container.
/// - Other Foundation types use their own `Codable` conformance (`UUID` is a string, for example).
/// - Decoding nil (tag 0) where a non-optional value is asked for is `DecodingError.valueNotFound`;
///   `superDecoder(forKey:)` of an absent key returns a decoder over nil (as Foundation's JSON).
///
/// ## Limits
/// A container body is at most 4 GiB - 1 (`EncodingError.invalidValue` otherwise). The decoder
/// rejects declared lengths and counts that exceed the bytes left, nesting deeper than its
/// `maxDepth`, and bytes after the top-level value, all as `DecodingError.dataCorrupted`.
///
/// Keyed decoding ignores unknown keys (schema evolution) and accepts any key order. The encoder
/// never writes a key twice (unless user code does); which occurrence of a duplicated key the
/// decoder uses is unspecified.
///
/// ## Example
/// `struct Point: Codable { var x: Int; var name: String }` with `x = -2, name = "ab"` is
/// ```
/// 0A                 keyed container
/// 0E 00 00 00        body length 14
/// 02                 2 entries
/// 01 78              key "x"
/// 03 03              signed integer, zigzag 3 = -2
/// 04 6E 61 6D 65     key "name"
/// 07 02 61 62        string "ab"
/// ```
enum BinaryFormat {
    static let tagNil: UInt8 = 0
    static let tagFalse: UInt8 = 1
    static let tagTrue: UInt8 = 2
    static let tagSigned: UInt8 = 3
    static let tagUnsigned: UInt8 = 4
    static let tagFloat64: UInt8 = 5
    static let tagFloat32: UInt8 = 6
    static let tagString: UInt8 = 7
    static let tagBytes: UInt8 = 8
    static let tagArray: UInt8 = 9
    static let tagKeyed: UInt8 = 10

    /// The largest valid tag.
    static let maxTag: UInt8 = 10

    /// Size of the body-length field of tags 9 and 10.
    static let containerLengthSize = 4

    /// The key used by the keyless `superEncoder()` and `superDecoder()`.
    static let superKey = "super"

    /// A human-readable name of a tag, for error messages.
    static func name(ofTag tag: UInt8) -> String {
        switch tag {
        case tagNil: return "nil"
        case tagFalse, tagTrue: return "a boolean"
        case tagSigned: return "a signed integer"
        case tagUnsigned: return "an unsigned integer"
        case tagFloat64: return "a 64-bit float"
        case tagFloat32: return "a 32-bit float"
        case tagString: return "a string"
        case tagBytes: return "bytes"
        case tagArray: return "an array"
        case tagKeyed: return "a keyed container"
        default: return "invalid tag \(tag)"
        }
    }
}
