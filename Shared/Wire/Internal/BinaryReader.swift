#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Bounds-checked reads of Wire values from raw memory. Offsets are plain `Int`s into `base`;
/// every read takes the exclusive `end` it must stay within, so a nested value can never read its
/// neighbours' bytes. Nothing here allocates based on a length read from the input, and nothing
/// recurses.
///
/// The scanning primitives (`varint`, `length`, `skip`) don't throw: they report failure by setting
/// the offset to -1 (or returning -1), which keeps key lookups free of error plumbing. The typed
/// readers (`readString`, `readInteger`, ...) throw `BinaryReadError` and advance the offset only
/// on success.
struct BinaryReader {
    let base: UnsafeRawPointer

    /// A one-byte buffer holding a nil value: what `superDecoder(forKey:)` reads for an absent key.
    nonisolated(unsafe) static let nilValue: UnsafeRawPointer = {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
        pointer.storeBytes(of: BinaryFormat.tagNil, as: UInt8.self)
        return UnsafeRawPointer(pointer)
    }()

    @inline(__always)
    func byte(_ offset: Int) -> UInt8 {
        base.load(fromByteOffset: offset, as: UInt8.self)
    }

    // MARK: Scanning (no throws; -1 means malformed)

    /// Reads a varint of at most 64 bits; sets `offset` to -1 if truncated or too large.
    @inline(__always)
    func varint(_ offset: inout Int, _ end: Int) -> UInt64 {
        if _fastPath(offset < end) {
            let first = byte(offset)
            if first < 0x80 {
                offset &+= 1
                return UInt64(first)
            }
        }
        return varintSlow(&offset, end)
    }

    @inline(never)
    private func varintSlow(_ offset: inout Int, _ end: Int) -> UInt64 {
        varint(UInt64.self, &offset, end)
    }

    /// Reads a varint of at most 128 bits; sets `offset` to -1 if truncated or too large.
    func varint128(_ offset: inout Int, _ end: Int) -> UInt128 {
        varint(UInt128.self, &offset, end)
    }

    /// Reads a varint of at most `T.bitWidth` bits (7 bits a byte, low first); sets `offset` to -1 if truncated or too
    /// large.
    private func varint<T: FixedWidthInteger & UnsignedInteger>(_ type: T.Type, _ offset: inout Int, _ end: Int) -> T {
        let lastShift = (T.bitWidth - 1) / 7 * 7                      // 63 for 64 bits, 126 for 128
        let lastByteMax = UInt8(1 << (T.bitWidth - lastShift)) - 1   // what fits above it: 1, 3
        var result: T = 0
        var shift = 0
        var p = offset
        while p < end {
            let b = byte(p)
            p &+= 1
            if shift == lastShift && b > lastByteMax {
                break // more than T.bitWidth bits
            }
            result |= T(b & 0x7F) << shift
            if b < 0x80 {
                offset = p
                return result
            }
            shift &+= 7
        }
        offset = -1
        return 0
    }

    /// Reads a varint byte count that must not exceed the bytes left before `end`; sets `offset`
    /// to -1 otherwise.
    @inline(__always)
    func length(_ offset: inout Int, _ end: Int) -> Int {
        let value = varint(&offset, end)
        guard offset >= 0, value <= UInt64(end &- offset) else {
            offset = -1
            return 0
        }
        return Int(truncatingIfNeeded: value)
    }

    /// The end of the value starting at `offset`, or -1 if it is malformed or does not fit before
    /// `end`. O(1) for containers (their body length is trusted here and checked when read).
    @inline(__always)
    func skip(_ offset: Int, _ end: Int) -> Int {
        guard offset < end else { return -1 }
        let tag = byte(offset)
        var p = offset &+ 1
        switch tag {
        case BinaryFormat.tagNil, BinaryFormat.tagFalse, BinaryFormat.tagTrue:
            return p
        case BinaryFormat.tagSigned, BinaryFormat.tagUnsigned:
            // Up to 19 bytes (128-bit integers); range is checked when the value is read.
            var n = 0
            while p < end && n < 19 {
                let b = byte(p)
                p &+= 1
                if b < 0x80 { return p }
                n &+= 1
            }
            return -1
        case BinaryFormat.tagFloat64:
            return end &- p >= 8 ? p &+ 8 : -1
        case BinaryFormat.tagFloat32:
            return end &- p >= 4 ? p &+ 4 : -1
        case BinaryFormat.tagString, BinaryFormat.tagBytes:
            let n = length(&p, end)
            return p < 0 ? -1 : p &+ n
        case BinaryFormat.tagArray, BinaryFormat.tagKeyed:
            guard end &- p >= 4 else { return -1 }
            let bodyLength = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt32.self)))
            p &+= 4
            return end &- p >= bodyLength ? p &+ bodyLength : -1
        default:
            return -1
        }
    }

    /// Describes why the value at `offset` could not be skipped.
    func malformedDescription(at offset: Int, _ end: Int) -> String {
        guard offset < end else { return "Unexpected end of data at byte offset \(offset)." }
        let tag = byte(offset)
        if tag > BinaryFormat.maxTag { return "Invalid tag \(tag) at byte offset \(offset)." }
        return "Truncated or malformed \(BinaryFormat.name(ofTag: tag)) at byte offset \(offset)."
    }

    // MARK: Typed reads (throw BinaryReadError, advance `offset` only on success)

    /// The error for a value with `tag` where `type` was expected.
    @inline(never)
    func mismatch(_ type: Any.Type, _ offset: Int, _ end: Int) -> BinaryReadError {
        guard offset < end else { return .corrupted("Unexpected end of data at byte offset \(offset).") }
        let tag = byte(offset)
        if tag == BinaryFormat.tagNil { return .valueNotFound(expected: type) }
        if tag > BinaryFormat.maxTag { return .corrupted("Invalid tag \(tag) at byte offset \(offset).") }
        return .typeMismatch(expected: type, tag: tag)
    }

    @inline(never)
    func truncated(_ offset: Int, _ end: Int) -> BinaryReadError {
        .corrupted(malformedDescription(at: offset, end))
    }

    @inline(__always)
    func tag(_ offset: Int, _ end: Int) -> UInt8? {
        offset < end ? byte(offset) : nil
    }

    func readBool(_ offset: inout Int, _ end: Int) throws -> Bool {
        switch tag(offset, end) {
        case BinaryFormat.tagTrue: offset &+= 1; return true
        case BinaryFormat.tagFalse: offset &+= 1; return false
        default: throw mismatch(Bool.self, offset, end)
        }
    }

    /// Reads an integer written with tag 3 or 4 into any fixed-width integer type of at most 64
    /// bits; a value that doesn't fit is `corrupted`.
    @inline(__always)
    func readInteger<I: FixedWidthInteger>(_ type: I.Type, _ offset: inout Int, _ end: Int) throws -> I {
        guard let tag = tag(offset, end) else { throw truncated(offset, end) }
        var p = offset &+ 1
        let raw = varint(&p, end)
        if tag == BinaryFormat.tagSigned {
            guard p >= 0 else { throw integerError(I.self, offset, end) }
            let value = Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
            guard let result = I(exactly: value) else { throw doesNotFit(value, I.self) }
            offset = p
            return result
        }
        if tag == BinaryFormat.tagUnsigned {
            guard p >= 0 else { throw integerError(I.self, offset, end) }
            guard let result = I(exactly: raw) else { throw doesNotFit(raw, I.self) }
            offset = p
            return result
        }
        throw mismatch(I.self, offset, end)
    }

    func readInt128(_ offset: inout Int, _ end: Int) throws -> Int128 {
        guard let tag = tag(offset, end) else { throw truncated(offset, end) }
        var p = offset &+ 1
        if tag == BinaryFormat.tagSigned {
            let raw = varint128(&p, end)
            guard p >= 0 else { throw integerError(Int128.self, offset, end) }
            offset = p
            return Int128(bitPattern: raw >> 1) ^ -Int128(bitPattern: raw & 1)
        }
        if tag == BinaryFormat.tagUnsigned {
            let raw = varint128(&p, end)
            guard p >= 0 else { throw integerError(Int128.self, offset, end) }
            guard let result = Int128(exactly: raw) else { throw doesNotFit(raw, Int128.self) }
            offset = p
            return result
        }
        throw mismatch(Int128.self, offset, end)
    }

    func readUInt128(_ offset: inout Int, _ end: Int) throws -> UInt128 {
        guard let tag = tag(offset, end) else { throw truncated(offset, end) }
        var p = offset &+ 1
        if tag == BinaryFormat.tagSigned {
            let raw = varint128(&p, end)
            guard p >= 0 else { throw integerError(UInt128.self, offset, end) }
            let value = Int128(bitPattern: raw >> 1) ^ -Int128(bitPattern: raw & 1)
            guard let result = UInt128(exactly: value) else { throw doesNotFit(value, UInt128.self) }
            offset = p
            return result
        }
        if tag == BinaryFormat.tagUnsigned {
            let raw = varint128(&p, end)
            guard p >= 0 else { throw integerError(UInt128.self, offset, end) }
            offset = p
            return raw
        }
        throw mismatch(UInt128.self, offset, end)
    }

    @inline(never)
    private func integerError(_ type: Any.Type, _ offset: Int, _ end: Int) -> BinaryReadError {
        .corrupted("Truncated integer, or an integer too large for \(type), at byte offset \(offset).")
    }

    @inline(never)
    private func doesNotFit(_ value: some BinaryInteger, _ type: Any.Type) -> BinaryReadError {
        .corrupted("Number \(value) does not fit in \(type).")
    }

    /// Reads a Float64 (tag 5) or, widened exactly, a Float32 (tag 6).
    @inline(__always)
    func readDouble(_ offset: inout Int, _ end: Int) throws -> Double {
        let tag = tag(offset, end)
        if tag == BinaryFormat.tagFloat64 && end &- offset >= 9 {
            let bits = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset &+ 1, as: UInt64.self))
            offset &+= 9
            return Double(bitPattern: bits)
        }
        if tag == BinaryFormat.tagFloat32 && end &- offset >= 5 {
            let bits = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset &+ 1, as: UInt32.self))
            offset &+= 5
            return Double(Float(bitPattern: bits))
        }
        if tag == BinaryFormat.tagFloat64 || tag == BinaryFormat.tagFloat32 { throw truncated(offset, end) }
        throw mismatch(Double.self, offset, end)
    }

    /// Reads a Float32 (tag 6), or a Float64 (tag 5) within Float's range, rounded.
    func readFloat(_ offset: inout Int, _ end: Int) throws -> Float {
        let tag = tag(offset, end)
        if tag == BinaryFormat.tagFloat32 && end &- offset >= 5 {
            let bits = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset &+ 1, as: UInt32.self))
            offset &+= 5
            return Float(bitPattern: bits)
        }
        if tag == BinaryFormat.tagFloat64 && end &- offset >= 9 {
            let bits = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset &+ 1, as: UInt64.self))
            let double = Double(bitPattern: bits)
            guard !double.isFinite || abs(double) <= Double(Float.greatestFiniteMagnitude) else {
                throw BinaryReadError.corrupted("Number \(double) does not fit in Float.")
            }
            offset &+= 9
            return Float(double)
        }
        if tag == BinaryFormat.tagFloat64 || tag == BinaryFormat.tagFloat32 { throw truncated(offset, end) }
        throw mismatch(Float.self, offset, end)
    }

    /// Reads a string (tag 7), validating its UTF-8.
    @inline(__always)
    func readString(_ offset: inout Int, _ end: Int) throws -> String {
        guard tag(offset, end) == BinaryFormat.tagString else { throw mismatch(String.self, offset, end) }
        var p = offset &+ 1
        let n = length(&p, end)
        guard p >= 0 else { throw truncated(offset, end) }
        let string = try makeString(p, n)
        offset = p &+ n
        return string
    }

    /// A string from `count` bytes of UTF-8 at `offset`, which must be valid.
    @inline(__always)
    func makeString(_ offset: Int, _ count: Int) throws -> String {
        if count == 0 { return "" }
        let bytes = UnsafeBufferPointer(start: (base + offset).assumingMemoryBound(to: UInt8.self), count: count)
        // `String(decoding:)` is the stdlib's fast UTF-8 path but repairs invalid input with
        // U+FFFD; ASCII needs no repair, and other input is valid exactly when it comes back byte
        // for byte. (`String(validating:as:)` is much slower: generic metadata look-ups per call.)
        // Short strings (keys, names) check for ASCII inline; for longer ones a vectorized memcmp
        // of the result costs less than a second scan.
        let string = String(decoding: bytes, as: UTF8.self)
        if count <= 32 && isASCII(offset, count) { return string }
        guard string.utf8.count == count, string.utf8.withContiguousStorageIfAvailable({
            memcmp($0.baseAddress!, bytes.baseAddress!, count) == 0
        }) ?? string.utf8.elementsEqual(bytes) else {
            throw BinaryReadError.corrupted("Invalid UTF-8 in string at byte offset \(offset).")
        }
        return string
    }

    /// True if the `count` bytes at `offset` are all ASCII.
    @inline(__always)
    func isASCII(_ offset: Int, _ count: Int) -> Bool {
        var p = offset
        let end = offset &+ count
        var bits: UInt64 = 0
        while end &- p >= 8 {
            bits |= base.loadUnaligned(fromByteOffset: p, as: UInt64.self)
            p &+= 8
        }
        while p < end {
            bits |= UInt64(byte(p))
            p &+= 1
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }

    /// The keyed-container entry at `offset` (entries end at `bodyEnd`): its key bytes and value
    /// bounds; valueEnd is -1 if malformed.
    @inline(__always)
    func entry(at offset: Int, _ bodyEnd: Int) -> (keyStart: Int, keyCount: Int, valueStart: Int, valueEnd: Int) {
        var p = offset
        let keyCount = length(&p, bodyEnd)
        guard p >= 0 else { return (0, 0, 0, -1) }
        let valueStart = p &+ keyCount
        return (p, keyCount, valueStart, skip(valueStart, bodyEnd))
    }

    /// The value bounds of the entry named `name` in the keyed container with `count` entries from
    /// `bodyStart` to `bodyEnd`: the entry at the cursor first (keys usually come in the order they
    /// are asked for), then every entry from the start; the cursor moves past the entry found. Start
    /// -1 if there is none, -2 (and the offset in `end`) if the container is malformed. Both the
    /// `Codable` and the `BinaryCodable` decoders search with it, so a key written twice resolves
    /// to the same entry on both paths.
    @inline(__always)
    func find(_ name: UnsafeRawBufferPointer, bodyStart: Int, bodyEnd: Int, count: Int,
              cursorOffset: inout Int, cursorIndex: inout Int) -> (start: Int, end: Int) {
        if cursorIndex < count {
            let e = entry(at: cursorOffset, bodyEnd)
            guard e.valueEnd >= 0 else { return (-2, cursorOffset) }
            if keyMatches(e.keyStart, e.keyCount, name) {
                cursorOffset = e.valueEnd
                cursorIndex &+= 1
                return (e.valueStart, e.valueEnd)
            }
        }
        var offset = bodyStart
        var index = 0
        while index < count {
            let e = entry(at: offset, bodyEnd)
            guard e.valueEnd >= 0 else { return (-2, offset) }
            if keyMatches(e.keyStart, e.keyCount, name) {
                cursorOffset = e.valueEnd
                cursorIndex = index &+ 1
                return (e.valueStart, e.valueEnd)
            }
            offset = e.valueEnd
            index &+= 1
        }
        return (-1, 0)
    }

    @inline(__always)
    private func keyMatches(_ keyStart: Int, _ keyCount: Int, _ name: UnsafeRawBufferPointer) -> Bool {
        keyCount == name.count && (keyCount == 0 || bytesEqual(keyStart, name.baseAddress!, keyCount))
    }

    /// True if the `count` bytes at `offset` equal those at `other`.
    @inline(__always)
    func bytesEqual(_ offset: Int, _ other: UnsafeRawPointer, _ count: Int) -> Bool {
        var i = 0
        while count &- i >= 8 {
            if base.loadUnaligned(fromByteOffset: offset &+ i, as: UInt64.self) != other.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i &+= 8
        }
        while i < count {
            if byte(offset &+ i) != other.load(fromByteOffset: i, as: UInt8.self) { return false }
            i &+= 1
        }
        return true
    }

    /// Reads bytes (tag 8); returns where they are, without copying.
    @inline(__always)
    func readBytes(_ offset: inout Int, _ end: Int, as type: Any.Type) throws -> UnsafeRawBufferPointer {
        guard tag(offset, end) == BinaryFormat.tagBytes else { throw mismatch(type, offset, end) }
        var p = offset &+ 1
        let n = length(&p, end)
        guard p >= 0 else { throw truncated(offset, end) }
        offset = p &+ n
        return UnsafeRawBufferPointer(start: base + p, count: n)
    }

    /// The body of a container (tag 9 or 10) at `offset`: where its values start (after the
    /// count), where it ends, and the count, which is checked to be at most the number of bytes
    /// left (every value takes at least one byte; every keyed entry at least two).
    struct ContainerHeader {
        var bodyStart: Int
        var bodyEnd: Int
        var count: Int
    }

    @inline(__always)
    func readContainerHeader(_ tag: UInt8, as type: Any.Type, _ offset: Int, _ end: Int) throws -> ContainerHeader {
        guard self.tag(offset, end) == tag else { throw mismatch(type, offset, end) }
        var p = offset &+ 1
        guard end &- p >= 4 else { throw truncated(offset, end) }
        let bodyLength = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt32.self)))
        p &+= 4
        guard end &- p >= bodyLength else { throw truncated(offset, end) }
        let bodyEnd = p &+ bodyLength
        let count = varint(&p, bodyEnd)
        let minimumSize: UInt64 = tag == BinaryFormat.tagKeyed ? 2 : 1
        guard p >= 0, count <= UInt64(bodyEnd &- p) / minimumSize else {
            throw BinaryReadError.corrupted("Invalid element count in \(BinaryFormat.name(ofTag: tag)) at byte offset \(offset).")
        }
        return ContainerHeader(bodyStart: p, bodyEnd: bodyEnd, count: Int(truncatingIfNeeded: count))
    }
}
