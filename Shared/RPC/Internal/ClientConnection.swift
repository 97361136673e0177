import Dispatch
import Foundation
import Posix
import Synchronization
import Wire

/// A failure before the request left this process: safe to retry elsewhere.
struct NotSent: Error {
    let error: RPCError
    /// Nothing listens at the instance's socket (no process, or one not yet serving), as opposed to a
    /// connection that broke before the request went out.
    var unreachable = false
}

/// One client connection: calls multiplexed by request id, answered by a reader thread.
final class ClientConnection: Sendable {
    private struct Pending {
        /// Resumed exactly once, by whoever removes the call from `pending` (see `complete`).
        var continuation: UnsafeContinuation<[UInt8], any Error>
        var timer: DeadlineTimer?
    }

    private struct State {
        var pending: [UInt64: Pending] = [:]
        var cancelledEarly: Set<UInt64> = []
        var nextID: UInt64 = 1
        var closed = false
    }

    private let fd: FileDescriptor
    private let writer: FrameWriter
    private let maxFrameSize: Int
    private let state = Mutex(State())

    /// Connects to `path` and starts the reader thread.
    init(path: String, maxFrameSize: Int) throws(Errno) {
        self.fd = try Socket.connectUnix(path: path)
        self.writer = FrameWriter(fd: fd)
        self.maxFrameSize = maxFrameSize
        let thread = Thread { [self] in readLoop() }
        thread.name = "rpc-client"
        thread.stackSize = 512 * 1024
        thread.start()
    }

    /// Whether the connection has failed or been closed.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Calls currently waiting for an answer.
    var inFlight: Int { state.withLock { $0.pending.count } }

    /// Sends one request (stamping its id and remaining time into `frame`) and waits for the
    /// response body.
    func call(frame: inout RequestFrame, deadline: Deadline) async throws -> [UInt8] {
        let id = state.withLock { state -> UInt64 in
            defer { state.nextID &+= 1 }
            return state.nextID
        }
        frame.stamp(id: id, timeoutMicroseconds: max(1, deadline.remainingMicroseconds))
        let frame = frame.bytes
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                // Registers the call and arms its deadline under one lock: the timer can fire at
                // once, and then finds the call registered.
                let registered = state.withLock { state -> (any Error)? in
                    if state.closed { return NotSent(error: .unavailable("connection closed")) }
                    if state.cancelledEarly.remove(id) != nil { return RPCError(.cancelled, "call cancelled") }
                    let timer = DeadlineTimer(afterMicroseconds: deadline.remainingMicroseconds) { [self] in
                        if complete(id, .failure(RPCError(.deadlineExceeded, "deadline exceeded"))) { sendCancel(id) }
                    }
                    state.pending[id] = Pending(continuation: continuation, timer: timer)
                    return nil
                }
                if let registered {
                    continuation.resume(throwing: registered)
                    return
                }
                do {
                    try writer.send(frame)
                } catch {
                    complete(id, .failure(NotSent(error: .unavailable("connection lost"))))
                }
            }
        } onCancel: {
            let found = state.withLock { state -> Bool in
                if state.pending[id] != nil { return true }
                state.cancelledEarly.insert(id)
                return false
            }
            if found, complete(id, .failure(RPCError(.cancelled, "call cancelled"))) { sendCancel(id) }
        }
    }

    /// Closes the connection; waiting calls fail with UNAVAILABLE.
    func close() {
        writer.shutdown()
    }

    /// Resolves call `id` once; false if it was already resolved.
    @discardableResult
    private func complete(_ id: UInt64, _ result: Result<[UInt8], any Error>) -> Bool {
        guard let pending = state.withLock({ $0.pending.removeValue(forKey: id) }) else { return false }
        pending.timer?.cancel()
        pending.continuation.resume(with: result)
        return true
    }

    private func sendCancel(_ id: UInt64) {
        var frame: [UInt8] = []
        try? FrameEncoder.appendFrame(to: &frame, maxFrameSize: maxFrameSize) { buffer in
            EnvelopeFormat.append(Envelope(kind: .cancel, id: id), to: &buffer)
        }
        try? writer.send(frame)
    }

    private func readLoop() {
        let reader = FrameReader(fd: fd, maxFrameSize: maxFrameSize)
        var failure = RPCError.connectionLost
        _ = reader.run { frame in
            switch ResponseFrame(frame) {
            case .answer(let id, let result): complete(id, result.mapError { $0 })
            case .connectionFailed(let error): failure = error
            case .malformed: writer.shutdown()
            }
        }
        let orphans = state.withLock { state -> [UInt64: Pending] in
            state.closed = true
            defer { state.pending.removeAll() }
            return state.pending
        }
        for (_, pending) in orphans {
            pending.timer?.cancel()
            pending.continuation.resume(throwing: failure)
        }
        writer.close()
    }
}
