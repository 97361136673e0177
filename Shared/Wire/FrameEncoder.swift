/// Writes frames: a 4-byte big-endian length, then the body.
public enum FrameEncoder {
    /// Appends one frame whose body `writeBody` appends to the buffer; the length is back-patched.
    /// Throws ``FrameError/frameTooLarge(declared:limit:)`` (leaving the buffer as it was) when the body
    /// is over `maxFrameSize`.
    public static func appendFrame(
        to buffer: inout [UInt8], maxFrameSize: Int = 4 << 20, _ writeBody: (inout [UInt8]) throws -> Void
    ) throws {
        let headerIndex = beginFrame(&buffer)
        do {
            try writeBody(&buffer)
        } catch {
            buffer.removeSubrange(headerIndex...)
            throw error
        }
        try finishFrame(&buffer, startingAt: headerIndex, maxFrameSize: maxFrameSize)
    }

    /// Starts a frame at the end of `buffer` (room for its length) and returns where it starts, for
    /// ``finishFrame(_:startingAt:maxFrameSize:)`` once its body has been appended.
    public static func beginFrame(_ buffer: inout [UInt8]) -> Int {
        let headerIndex = buffer.count
        buffer.append(contentsOf: [0, 0, 0, 0])
        return headerIndex
    }

    /// Writes the length of the frame begun at `headerIndex` by ``beginFrame(_:)``. Throws
    /// ``FrameError/frameTooLarge(declared:limit:)`` (removing the frame) when its body is over
    /// `maxFrameSize`.
    public static func finishFrame(_ buffer: inout [UInt8], startingAt headerIndex: Int, maxFrameSize: Int = 4 << 20) throws(FrameError) {
        let length = buffer.count - headerIndex - 4
        guard length <= maxFrameSize else {
            buffer.removeSubrange(headerIndex...)
            throw FrameError.frameTooLarge(declared: UInt64(length), limit: maxFrameSize)
        }
        buffer[headerIndex] = UInt8(truncatingIfNeeded: length >> 24)
        buffer[headerIndex + 1] = UInt8(truncatingIfNeeded: length >> 16)
        buffer[headerIndex + 2] = UInt8(truncatingIfNeeded: length >> 8)
        buffer[headerIndex + 3] = UInt8(truncatingIfNeeded: length)
    }

    /// Returns one frame holding `body`.
    public static func frame(_ body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 4)
        let length = UInt32(body.count)
        out.append(UInt8(truncatingIfNeeded: length >> 24))
        out.append(UInt8(truncatingIfNeeded: length >> 16))
        out.append(UInt8(truncatingIfNeeded: length >> 8))
        out.append(UInt8(truncatingIfNeeded: length))
        out.append(contentsOf: body)
        return out
    }
}
