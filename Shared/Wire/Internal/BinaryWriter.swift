#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The single growing output buffer of one `BinaryEncoder.encode` call, shared by every encoder
/// and container of that call, plus the stack of containers that are still open.
///
/// Containers (tags 9 and 10) are written in place: the tag, 4 reserved length bytes and one
/// reserved count byte. They are closed, innermost first, when an outer container writes again or
/// when the top-level encode finishes; closing back-patches the length and the count (moving the
/// body forward in the rare case where the count needs more than one varint byte).
@usableFromInline
final class BinaryWriter {
    /// An open container: where its 4-byte length field is and how many values it holds so far.
    struct Frame {
        var lengthOffset: Int
        var count: Int
    }

    @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private(set) var capacity: Int
    /// Number of bytes written.
    @exclusivity(unchecked) var count: Int = 0
    /// Open containers, outermost first.
    @exclusivity(unchecked) var frames: [Frame] = []
    /// The first error found where the `Encoder` API cannot throw (for example a container
    /// requested twice with different kinds); `BinaryEncoder.encode` throws it at the end.
    var deferredError: EncodingError?
    let userInfo: [CodingUserInfoKey: Any]
    /// Whether `BinaryCodable` values write themselves (`BinaryEncoder.useBinaryCodable`).
    var usesBinaryCodable = true
    /// How the types met so far encode.
    @exclusivity(unchecked) var kinds = BinaryLocalTypeCache<BinaryEncodeKind>()

    init(capacity: Int, userInfo: [CodingUserInfoKey: Any]) {
        let capacity = max(capacity, 64)
        self.base = .allocate(capacity: capacity)
        self.capacity = capacity
        self.userInfo = userInfo
    }

    deinit {
        base.deallocate()
    }

    /// Empties the writer for another encode (`BinaryWriterCache`), with room for `capacity` bytes.
    func reset(capacity wanted: Int) {
        count = 0
        frames.removeAll(keepingCapacity: true)
        deferredError = nil
        usesBinaryCodable = true
        kinds = BinaryLocalTypeCache<BinaryEncodeKind>()
        if capacity < wanted { grow(wanted) }
    }

    var bytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base, count: count)
    }

    // MARK: Raw output

    @inline(__always)
    func ensure(_ extra: Int) {
        if _slowPath(capacity &- count < extra) {
            grow(extra)
        }
    }

    @inline(never)
    private func grow(_ extra: Int) {
        var newCapacity = capacity &* 2
        if newCapacity < count + extra { newCapacity = count + extra }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    func writeByte(_ byte: UInt8) {
        ensure(1)
        base[count] = byte
        count &+= 1
    }

    /// Writes a varint; the caller has ensured room for 10 bytes.
    @inline(__always)
    private func putVarint(_ value: UInt64) {
        var value = value
        var p = count
        while value >= 0x80 {
            base[p] = UInt8(truncatingIfNeeded: value) | 0x80
            value &>>= 7
            p &+= 1
        }
        base[p] = UInt8(truncatingIfNeeded: value)
        count = p &+ 1
    }

    @inline(__always)
    func writeVarint(_ value: UInt64) {
        ensure(10)
        putVarint(value)
    }

    @inline(__always)
    func writeRaw(_ source: UnsafeRawBufferPointer) {
        let n = source.count
        guard n > 0 else { return }
        ensure(n)
        UnsafeMutableRawPointer(base + count).copyMemory(from: source.baseAddress!, byteCount: n)
        count &+= n
    }

    /// Writes a varint byte count and the UTF-8 of `string` (a key, or a string's payload).
    @inline(__always)
    func writeStringPayload(_ string: String) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { utf8 in
            writeLengthPrefixed(UnsafeRawBufferPointer(utf8))
        }
        if done == nil {
            var copy = string
            copy.withUTF8 { writeLengthPrefixed(UnsafeRawBufferPointer($0)) }
        }
    }

    @inline(__always)
    func writeLengthPrefixed(_ source: UnsafeRawBufferPointer) {
        let n = source.count
        ensure(n &+ 10)
        putVarint(UInt64(n))
        if n > 0 {
            UnsafeMutableRawPointer(base + count).copyMemory(from: source.baseAddress!, byteCount: n)
            count &+= n
        }
    }

    // MARK: Values

    @inline(__always)
    func writeNil() {
        writeByte(BinaryFormat.tagNil)
    }

    @inline(__always)
    func writeBool(_ value: Bool) {
        writeByte(value ? BinaryFormat.tagTrue : BinaryFormat.tagFalse)
    }

    @inline(__always)
    func writeSigned(_ value: Int64) {
        ensure(11)
        base[count] = BinaryFormat.tagSigned
        count &+= 1
        putVarint(UInt64(bitPattern: (value &<< 1) ^ (value &>> 63)))
    }

    @inline(__always)
    func writeUnsigned(_ value: UInt64) {
        ensure(11)
        base[count] = BinaryFormat.tagUnsigned
        count &+= 1
        putVarint(value)
    }

    func writeSigned128(_ value: Int128) {
        writeVarint128(tag: BinaryFormat.tagSigned, UInt128(bitPattern: (value &<< 1) ^ (value &>> 127)))
    }

    func writeUnsigned128(_ value: UInt128) {
        writeVarint128(tag: BinaryFormat.tagUnsigned, value)
    }

    private func writeVarint128(tag: UInt8, _ value: UInt128) {
        ensure(20)
        base[count] = tag
        count &+= 1
        var value = value
        while value >= 0x80 {
            base[count] = UInt8(truncatingIfNeeded: value) | 0x80
            value &>>= 7
            count &+= 1
        }
        base[count] = UInt8(truncatingIfNeeded: value)
        count &+= 1
    }

    @inline(__always)
    func writeDouble(_ value: Double) {
        ensure(9)
        base[count] = BinaryFormat.tagFloat64
        UnsafeMutableRawPointer(base + (count &+ 1)).storeBytes(of: value.bitPattern.littleEndian, as: UInt64.self)
        count &+= 9
    }

    @inline(__always)
    func writeFloat(_ value: Float) {
        ensure(5)
        base[count] = BinaryFormat.tagFloat32
        UnsafeMutableRawPointer(base + (count &+ 1)).storeBytes(of: value.bitPattern.littleEndian, as: UInt32.self)
        count &+= 5
    }

    @inline(__always)
    func writeString(_ value: String) {
        writeByte(BinaryFormat.tagString)
        writeStringPayload(value)
    }

    @inline(__always)
    func writeBytes(_ value: UnsafeRawBufferPointer) {
        writeByte(BinaryFormat.tagBytes)
        writeLengthPrefixed(value)
    }

    /// The empty keyed container, written for a value whose `encode(to:)` wrote nothing.
    func writeEmptyKeyed() {
        ensure(6)
        base[count] = BinaryFormat.tagKeyed
        UnsafeMutableRawPointer(base + (count &+ 1)).storeBytes(of: UInt32(1).littleEndian, as: UInt32.self)
        base[count &+ 5] = 0
        count &+= 6
    }

    // MARK: Containers whose count is known up front (fast paths)

    /// Writes the tag, reserves the length and writes the count; returns the length's offset.
    @inline(__always)
    func beginSized(tag: UInt8, count elements: Int) -> Int {
        ensure(15)
        base[count] = tag
        let lengthOffset = count &+ 1
        count &+= 5
        putVarint(UInt64(elements))
        return lengthOffset
    }

    /// Back-patches the length of a container begun with `beginSized`.
    @inline(__always)
    func endSized(lengthOffset: Int) throws {
        let length = count &- lengthOffset &- BinaryFormat.containerLengthSize
        guard length <= Int(UInt32.max) else { throw BinaryWriter.tooLarge(length) }
        UnsafeMutableRawPointer(base + lengthOffset).storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, as: UInt32.self)
    }

    /// `endSized` for callers that cannot throw: a body over 4 GiB is recorded in `deferredError`.
    @inline(__always)
    func endSizedRecording(lengthOffset: Int) {
        let length = count &- lengthOffset &- BinaryFormat.containerLengthSize
        if _slowPath(length > Int(UInt32.max)) {
            recordDeferred(BinaryWriter.tooLarge(length))
        }
        UnsafeMutableRawPointer(base + lengthOffset).storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, as: UInt32.self)
    }

    // MARK: Open containers (count unknown until closed)

    /// Opens a container with `tag`; returns its depth (index in `frames`).
    @inline(__always)
    func openFrame(tag: UInt8) -> Int {
        frames.append(Frame(lengthOffset: beginContainer(tag: tag), count: 0))
        return frames.count &- 1
    }

    /// Makes the container at `depth` (identified by `lengthOffset`) the innermost open one by
    /// closing any container opened inside it. Returns false if that container is already closed.
    @inline(__always)
    func activate(depth: Int, lengthOffset: Int) -> Bool {
        if frames.count == depth &+ 1 && frames[depth].lengthOffset == lengthOffset {
            return true
        }
        return activateSlow(depth: depth, lengthOffset: lengthOffset)
    }

    @inline(never)
    private func activateSlow(depth: Int, lengthOffset: Int) -> Bool {
        guard depth >= 0, depth < frames.count, frames[depth].lengthOffset == lengthOffset else {
            return false
        }
        while frames.count > depth &+ 1 {
            closeFrame()
        }
        return true
    }

    /// Closes the innermost open container.
    func closeFrame() {
        let frame = frames.removeLast()
        endContainer(lengthOffset: frame.lengthOffset, count: frame.count)
    }

    // MARK: Containers written in place (count unknown until the end)

    /// Writes the tag, reserves the length and one byte for the count; returns the length's offset.
    /// `endContainer` completes it once its values are written. (Used by `BinaryKeyedWriter` and,
    /// through `openFrame`'s stack, by the `Encoder` containers.)
    @inline(__always)
    func beginContainer(tag: UInt8) -> Int {
        ensure(6)
        base[count] = tag
        base[count &+ 5] = 0
        let lengthOffset = count &+ 1
        count &+= 6
        return lengthOffset
    }

    /// Back-patches the count and the length of the container begun at `lengthOffset`, which holds
    /// `elements` values and ends here; moves the body forward in the rare case where the count needs
    /// more than the one reserved varint byte. A body over 4 GiB is recorded in `deferredError`.
    @inline(__always)
    func endContainer(lengthOffset: Int, count elements: Int) {
        let countOffset = lengthOffset &+ BinaryFormat.containerLengthSize
        if _fastPath(elements < 0x80) {
            base[countOffset] = UInt8(truncatingIfNeeded: elements)
        } else {
            widenCount(at: countOffset, elements)
        }
        let length = count &- countOffset
        if _slowPath(length > Int(UInt32.max)) {
            recordDeferred(BinaryWriter.tooLarge(length))
        }
        UnsafeMutableRawPointer(base + lengthOffset).storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, as: UInt32.self)
    }

    /// Writes a count of more than one varint byte at `countOffset`, moving the body after it forward.
    @inline(never)
    private func widenCount(at countOffset: Int, _ elements: Int) {
        var size = 1
        var v = UInt64(elements) >> 7
        while v > 0 { size += 1; v >>= 7 }
        ensure(size - 1)
        let bodyStart = countOffset + 1
        memmove(base + bodyStart + size - 1, base + bodyStart, count - bodyStart)
        let saved = count
        count = countOffset
        putVarint(UInt64(elements))
        count = saved + size - 1
    }

    /// Closes the containers opened since `frames.count` was `depth` (by a value just written).
    @inline(__always)
    func closeFrames(downTo depth: Int) {
        while frames.count > depth {
            closeFrame()
        }
    }

    /// Closes every open container.
    func closeAll() {
        while !frames.isEmpty {
            closeFrame()
        }
    }

    /// Undoes a partly written value after its encoding threw: drops the containers opened inside
    /// the container at `depth` and every byte from `mark` on.
    func rollback(to mark: Int, depth: Int) {
        while frames.count > depth &+ 1 {
            frames.removeLast()
        }
        if mark < count { count = mark }
    }

    /// Records the first error found where the `Encoder` API cannot throw.
    func recordDeferred(_ error: EncodingError) {
        if deferredError == nil { deferredError = error }
    }

    static func tooLarge(_ length: Int) -> EncodingError {
        .invalidValue(length, .init(codingPath: [], debugDescription: "A container body of \(length) bytes exceeds the 4 GiB limit of the format."))
    }
}
