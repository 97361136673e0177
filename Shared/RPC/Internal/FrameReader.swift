import Posix
import Wire

/// Reads a socket until end of stream, handing each whole frame to a callback.
struct FrameReader {
    /// Why reading stopped.
    enum End: Error {
        case closed               // clean end of stream between frames
        case failed(Errno)        // the socket failed
        case protocolError(FrameError)
    }

    let fd: FileDescriptor
    var decoder: FrameDecoder

    init(fd: FileDescriptor, maxFrameSize: Int) {
        self.fd = fd
        self.decoder = FrameDecoder(maxFrameSize: maxFrameSize)
    }

    /// Blocks reading; calls `onFrame` for each frame in arrival order, with its body read in place
    /// (valid only during the call); returns how the stream ended. With `batching`, writes are held
    /// while the frames of one read are handled, so the answers sent meanwhile leave in one write.
    mutating func run(batching writer: FrameWriter? = nil, _ onFrame: (UnsafeRawBufferPointer) -> Void) -> End {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
        defer { chunk.deallocate() }
        while true {
            let count: Int
            do {
                count = try fd.read(into: chunk)
            } catch {
                return .failed(error)
            }
            if count == 0 {
                do {
                    try decoder.finish()
                    return .closed
                } catch {
                    return .protocolError(error)
                }
            }
            decoder.append(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
            writer?.hold()
            do {
                while try decoder.withNextFrame(onFrame) != nil {}
            } catch {
                try? writer?.release()
                return .protocolError(error)
            }
            // A failed write shows up as the end of the stream on the next read.
            try? writer?.release()
        }
    }
}
