import Posix
import Wire

/// Reads a socket, handing each whole frame to a callback. Used by one thread at a time (the
/// client hands it between its reader thread and a polling caller under its lock).
final class FrameReader: @unchecked Sendable {
    /// Why reading stopped.
    enum End: Error {
        case closed               // clean end of stream between frames
        case failed(Errno)        // the socket failed
        case protocolError(FrameError)
    }

    let fd: FileDescriptor
    /// Only touched by the one thread reading (no dynamic exclusivity check per frame).
    @exclusivity(unchecked) private var decoder: FrameDecoder
    private let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)

    init(fd: FileDescriptor, maxFrameSize: Int) {
        self.fd = fd
        self.decoder = FrameDecoder(maxFrameSize: maxFrameSize)
    }

    deinit { chunk.deallocate() }

    /// Blocks reading until end of stream; calls `onFrame` for each frame in arrival order, with its
    /// body read in place (valid only during the call); returns how the stream ended. With
    /// `batching`, writes are held while the frames of one read are handled when it completed
    /// several, so the answers sent meanwhile leave in one write.
    func run(batching writer: FrameWriter? = nil, _ onFrame: (UnsafeRawBufferPointer) -> Void) -> End {
        while true {
            if let end = readOnce(batching: writer, onFrame) { return end }
        }
    }

    /// Blocks in one read and handles the frames it completes; nil while the stream goes on. With
    /// `batching`, the answers to the frames of one read leave together when there are several.
    func readOnce(batching writer: FrameWriter? = nil, _ onFrame: (UnsafeRawBufferPointer) -> Void) -> End? {
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
        // Writes are held only once a second frame is waiting: a lone request's answer leaves as
        // soon as it is sent, before the handler's clean-up (freeing the request, metrics...).
        var holding = false
        do {
            try decoder.consume(UnsafeRawBufferPointer(rebasing: chunk[0..<count])) { frame, more in
                if more && !holding, let writer {
                    writer.hold()
                    holding = true
                }
                onFrame(frame)
            }
        } catch {
            if holding { try? writer?.release() }
            return .protocolError(error)
        }
        // A failed write shows up as the end of the stream on the next read.
        if holding { try? writer?.release() }
        return nil
    }
}
