import Posix
import Synchronization

/// Serialises writes to one socket and batches them: while one thread is writing, frames from
/// others queue up and go out together in the next write, so a busy connection makes few syscalls.
/// A reader that handles several frames from one read can also ``hold()`` writes and
/// ``release()`` them after the last one: its answers then leave in one write.
final class FrameWriter: Sendable {
    private struct State {
        var pending: [UInt8] = []
        var writing = false
        var held = false
        var closed = false
        var failed = false
    }

    private let fd: FileDescriptor
    private let state = Mutex(State())
    private let descriptorClosed = Mutex(false)

    init(fd: FileDescriptor) { self.fd = fd }

    /// Queues `bytes` (one or more whole frames) and writes them unless another thread is writing.
    /// Throws if the socket is closed or the write fails; frames queued behind a failed write are lost
    /// with the connection, which the reader then reports to every caller.
    func send(_ bytes: [UInt8]) throws(Errno) {
        let batch: [UInt8]
        do {
            batch = try state.withLock { (state) throws(Errno) -> [UInt8] in
                if state.closed || state.failed { throw Errno.brokenPipe }
                if state.writing || state.held {
                    // The first frame queued is kept as it is (no copy).
                    if state.pending.isEmpty { state.pending = bytes } else { state.pending.append(contentsOf: bytes) }
                    return []
                }
                state.writing = true
                return bytes
            }
        }
        if batch.isEmpty { return }
        try write(batch)
    }

    /// Queues the frames sent from now on until ``release()`` (other than while a write is in
    /// progress, which queues them anyway).
    func hold() {
        state.withLock { $0.held = true }
    }

    /// Ends ``hold()`` and writes what was queued meanwhile, unless another thread is writing (it
    /// then writes it). Throws like ``send(_:)``.
    func release() throws(Errno) {
        let batch: [UInt8]? = state.withLock { state in
            state.held = false
            if state.writing || state.pending.isEmpty || state.closed || state.failed { return nil }
            state.writing = true
            let batch = state.pending
            state.pending.removeAll(keepingCapacity: false)
            return batch
        }
        if let batch { try write(batch) }
    }

    /// Writes `first`, then whatever was queued meanwhile, until nothing is; the caller has set
    /// `writing`.
    private func write(_ first: [UInt8]) throws(Errno) {
        var batch = first
        while true {
            do {
                try Socket.sendAll(fd, batch)
            } catch {
                let closeNow = state.withLock { state in
                    state.failed = true
                    state.writing = false
                    state.pending = []
                    return state.closed
                }
                if closeNow { closeDescriptorOnce() }
                throw error
            }
            let next: [UInt8]? = state.withLock { state in
                if state.pending.isEmpty {
                    state.writing = false
                    return nil
                }
                let next = state.pending
                state.pending.removeAll(keepingCapacity: false)
                return next
            }
            guard let next else { break }
            batch = next
        }
        let closeNow = state.withLock { state in state.closed && !state.writing }
        if closeNow { closeDescriptorOnce() }
    }

    /// Marks the writer closed and closes the descriptor once no write is in progress.
    func close() {
        let closeNow = state.withLock { state -> Bool in
            if state.closed { return false }
            state.closed = true
            return !state.writing
        }
        if closeNow { closeDescriptorOnce() }
    }

    /// Shuts the socket down in both directions (waking its reader) unless it is already closed.
    /// Safe at any time: a descriptor number is never touched after it was closed and maybe reused.
    func shutdown() {
        descriptorClosed.withLock { closed in
            if !closed { Socket.shutdown(fd) }
        }
    }

    private func closeDescriptorOnce() {
        descriptorClosed.withLock { closed in
            if !closed { fd.close() }
            closed = true
        }
    }
}
