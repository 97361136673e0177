/// Splits a byte stream into frames: a 4-byte big-endian length, then that many bytes.
///
/// A pure state machine with no I/O: feed it bytes in chunks of any size with ``append(_:)``, take
/// whole frames with ``nextFrame()``, and call ``finish()`` at end of stream. A declared length above
/// ``maxFrameSize`` is rejected as soon as its four bytes are known, before anything is allocated
/// for the body.
public struct FrameDecoder: Sendable {
    /// The largest frame body accepted, in bytes.
    public let maxFrameSize: Int

    private var buffer: [UInt8] = []
    private var readIndex = 0

    /// Creates a decoder; the default limit is 4 MiB.
    public init(maxFrameSize: Int = 4 << 20) {
        precondition(maxFrameSize >= 0 && maxFrameSize <= Int(UInt32.max), "frame size limit out of range")
        self.maxFrameSize = maxFrameSize
    }

    /// Bytes received but not yet returned as frames.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Adds received bytes.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compactIfNeeded()
        buffer.append(contentsOf: bytes)
    }

    /// Adds received bytes.
    public mutating func append<Bytes: Collection>(contentsOf bytes: Bytes) where Bytes.Element == UInt8 {
        compactIfNeeded()
        buffer.append(contentsOf: bytes)
    }

    /// Returns the next whole frame body, nil if more bytes are needed, or throws if the next
    /// frame declares a length over the limit.
    public mutating func nextFrame() throws(FrameError) -> [UInt8]? {
        try withNextFrame { Array($0) }
    }

    /// Calls `body` with the next whole frame body, read in place (no copy), and returns its
    /// result; nil if more bytes are needed. Throws like ``nextFrame()``. The buffer is only valid
    /// during the call.
    public mutating func withNextFrame<R>(_ body: (UnsafeRawBufferPointer) -> R) throws(FrameError) -> R? {
        guard let size = try nextFrameSize() else { return nil }
        let start = readIndex + 4
        let result = buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<(start + size)])) }
        readIndex = start + size
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            readIndex = 0
        }
        return result
    }

    /// Hands each whole frame of the buffered bytes followed by `bytes` to `onFrame`, in arrival
    /// order, and keeps what is left of a partial frame for the next call. When nothing was
    /// buffered, the frames are read in place in `bytes` (no copy; only a trailing partial frame
    /// is buffered). `onFrame` gets the frame's body (valid only during the call) and whether
    /// another whole frame (or a length over the limit) follows it in what was received. Throws
    /// like ``nextFrame()`` when a frame declares a length over the limit, after handing over the
    /// frames before it.
    public mutating func consume(_ bytes: UnsafeRawBufferPointer, _ onFrame: (UnsafeRawBufferPointer, _ more: Bool) -> Void) throws(FrameError) {
        guard bufferedByteCount == 0 else {
            append(bytes)
            while true {
                let more = hasFrameAfterNext
                guard try withNextFrame({ onFrame($0, more) }) != nil else { return }
            }
        }
        var offset = 0
        var next = try Self.frameSize(in: bytes, at: offset, limit: maxFrameSize)
        while let size = next {
            let start = offset + 4
            offset = start + size
            // A length over the limit after this frame counts as more: it is thrown right after.
            var tooLarge: FrameError?
            do {
                next = try Self.frameSize(in: bytes, at: offset, limit: maxFrameSize)
            } catch {
                next = nil
                tooLarge = error
            }
            onFrame(UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), next != nil || tooLarge != nil)
            if let tooLarge { throw tooLarge }
        }
        if offset < bytes.count {
            append(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
        }
    }

    /// The body size of the whole frame at `offset` in `bytes`, nil if it is not all there; throws
    /// when its length is over `limit`.
    private static func frameSize(in bytes: UnsafeRawBufferPointer, at offset: Int, limit: Int) throws(FrameError) -> Int? {
        let available = bytes.count - offset
        guard available >= 4 else { return nil }
        let length = UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
        guard UInt64(length) <= UInt64(limit) else {
            throw .frameTooLarge(declared: UInt64(length), limit: limit)
        }
        let size = Int(length)
        return available - 4 >= size ? size : nil
    }

    /// Whether another whole frame (or a length over the limit) is buffered behind the next whole
    /// frame: a reader then knows that it will handle several frames from what it has read.
    public var hasFrameAfterNext: Bool {
        guard let size = try? nextFrameSize() else { return false }
        return buffer.withUnsafeBytes { bytes in
            do {
                return try Self.frameSize(in: bytes, at: readIndex + 4 + size, limit: maxFrameSize) != nil
            } catch {
                return true
            }
        }
    }

    /// The body size of the next frame if it is whole, nil if more bytes are needed.
    private func nextFrameSize() throws(FrameError) -> Int? {
        try buffer.withUnsafeBytes { bytes in
            Result { () throws(FrameError) in try Self.frameSize(in: bytes, at: readIndex, limit: maxFrameSize) }
        }.get()
    }

    /// Declares the end of the stream: throws if a frame was only partly received.
    public func finish() throws(FrameError) {
        if bufferedByteCount > 0 { throw .truncated(bufferedBytes: bufferedByteCount) }
    }

    private mutating func compactIfNeeded() {
        if readIndex > 0 && readIndex >= buffer.count / 2 {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }
}
