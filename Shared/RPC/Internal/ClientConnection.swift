import Dispatch
import Foundation
import Posix
import Synchronization
import Wire

/// A failure before the request left this process: safe to retry elsewhere.
struct NotSent: Error {
    let error: RPCError
}

/// One client connection: calls multiplexed by request id.
///
/// One thread at a time reads the socket (the *owner*). Usually that is the connection's reader
/// thread, which completes the waiting calls. But a caller that finds the connection idle (no call
/// in flight, nobody reading) takes the socket, sends, and waits for its answer itself in ppoll for
/// up to `pollNanoseconds`, like a plain blocking client: its answer then costs no wake-up of the
/// reader thread nor of a second pool thread to resume it (two wake-ups per call instead of three).
/// Answers to other calls read meanwhile are completed as the reader thread would. If its answer is
/// late, the caller hands the socket to the reader thread and waits like any other call. Only a
/// call alone in the whole process polls: with others in flight, a caller blocked in ppoll would
/// hold a pool thread their tasks need (and they keep the reader threads busy anyway).
///
/// The reader thread parks (not in `read`) while nobody waits for an answer, so an idle connection
/// notices a peer that went away only on its next call. That call always sends as the owner (and
/// hands over at once when it does not poll), so the failure shows as its own failed write
/// (NotSent, retried elsewhere), never as an end of stream reported first by the woken reader.
final class ClientConnection: Sendable {
    private enum Waiter {
        /// Resumed exactly once, by whoever removes the call from `pending` (see `complete`).
        case continuation(UnsafeContinuation<[UInt8], any Error>, DeadlineTimer?)
        /// The caller owns the socket and reads its answer itself.
        case polling
    }

    private enum Owner {
        case none, thread, caller
    }

    private struct State {
        var pending: [UInt64: Waiter] = [:]
        var cancelledEarly: Set<UInt64> = []
        var nextID: UInt64 = 1
        /// The connection has ended: no new calls, the reader thread exits.
        var closed = false
        /// ``close()`` was called or a write failed: no new calls; the owner reads to the end.
        var closing = false
        var owner = Owner.none
        var readerParked = false
        /// What waiting calls fail with when the connection ends.
        var failure = RPCError.connectionLost
    }

    /// Calls in flight on every connection of the process: only a call that is alone in the
    /// process polls, so a polling caller never holds a pool thread that other calls' tasks need.
    private static let callsInFlight = Atomic<Int>(0)

    private let fd: FileDescriptor
    private let writer: FrameWriter
    private let reader: FrameReader
    private let maxFrameSize: Int
    private let pollNanoseconds: Int64
    private let state = Mutex(State())
    private let readerWake = DispatchSemaphore(value: 0)

    /// Connects to `path` and starts the reader thread. A caller alone on the connection waits up to
    /// `pollMicroseconds` for its answer itself (0: never).
    init(path: String, maxFrameSize: Int, pollMicroseconds: Int) throws(Errno) {
        self.fd = try Socket.connectUnix(path: path)
        self.writer = FrameWriter(fd: fd)
        self.reader = FrameReader(fd: fd, maxFrameSize: maxFrameSize)
        self.maxFrameSize = maxFrameSize
        self.pollNanoseconds = Int64(max(0, pollMicroseconds)) * 1000
        let thread = Thread { [self] in readLoop() }
        thread.name = "rpc-client"
        thread.stackSize = 512 * 1024
        thread.start()
    }

    /// Whether the connection has failed or been closed.
    var isClosed: Bool { state.withLock { $0.closed || $0.closing } }

    /// Calls currently waiting for an answer.
    var inFlight: Int { state.withLock { $0.pending.count } }

    /// Sends one request (stamping its id and remaining time into `frame`) and waits for the
    /// response body.
    func call(frame: inout RequestFrame, deadline: Deadline) async throws -> [UInt8] {
        let alone = Self.callsInFlight.wrappingAdd(1, ordering: .relaxed).oldValue == 0
        defer { Self.callsInFlight.wrappingSubtract(1, ordering: .relaxed) }
        let (id, owns) = try state.withLock { (state) throws -> (UInt64, Bool) in
            if state.closed || state.closing { throw NotSent(error: .unavailable("connection closed")) }
            let id = state.nextID
            state.nextID &+= 1
            // An idle connection (its reader parked): the caller takes the socket to send, so a
            // peer that went away while it was idle shows as a failed write (NotSent, retried)
            // rather than as an end of stream the woken reader could report first.
            if state.owner == .none, state.pending.isEmpty {
                state.owner = .caller
                state.pending[id] = .polling
                return (id, true)
            }
            return (id, false)
        }
        frame.stamp(id: id, timeoutMicroseconds: max(1, deadline.remainingMicroseconds))
        if owns {
            return try await sendAndPoll(id: id, frame: frame.bytes, deadline: deadline, poll: alone && pollNanoseconds > 0)
        }
        return try await waitForAnswer(id: id, deadline: deadline, send: frame.bytes)
    }

    /// Closes the connection; waiting calls fail with UNAVAILABLE.
    func close() {
        let wake = state.withLock { state -> Bool in
            state.closing = true
            return Self.wakeReaderIfParked(&state)
        }
        writer.shutdown()
        if wake { readerWake.signal() }
    }

    // MARK: - Calling

    /// The caller owns the socket: sends, then (with `poll`) reads until its answer comes, the poll
    /// time runs out or the connection ends; unless answered, hands the socket to the reader thread.
    private func sendAndPoll(id: UInt64, frame: [UInt8], deadline: Deadline, poll: Bool) async throws -> [UInt8] {
        do {
            try writer.send(frame)
        } catch {
            // The connection is broken: the reader thread reads it to the end and fails the rest.
            let wake = state.withLock { state -> Bool in
                state.pending[id] = nil
                state.closing = true
                state.owner = .none
                return Self.wakeReaderIfParked(&state)
            }
            writer.shutdown()
            if wake { readerWake.signal() }
            throw NotSent(error: .unavailable("connection lost"))
        }
        var mine: Result<[UInt8], any Error>?
        var ended: FrameReader.End?
        let pollEnd = min(Monotonic.nanoseconds() &+ UInt64(pollNanoseconds), deadline.uptimeNanoseconds)
        while poll && mine == nil {
            let now = Monotonic.nanoseconds()
            guard now < pollEnd else { break }
            // On a ppoll error, read anyway: it reports the error.
            let ready = (try? fd.waitReadable(nanoseconds: Int64(pollEnd - now))) ?? true
            guard ready else { break }
            ended = reader.readOnce { frame in handle(frame, polling: id, answer: &mine) }
            if ended != nil { break }
        }
        if let ended {
            endConnection(ended)
            if let mine { return try mine.get() }
            throw state.withLock { $0.failure }
        }
        if let mine {
            let wake = state.withLock { state -> Bool in
                state.pending[id] = nil
                state.owner = .none
                return Self.wakeReaderIfParked(&state)
            }
            if wake { readerWake.signal() }
            return try mine.get()
        }
        if deadline.hasPassed {
            let wake = state.withLock { state -> Bool in
                state.pending[id] = nil
                state.owner = .none
                return Self.wakeReaderIfParked(&state)
            }
            if wake { readerWake.signal() }
            sendCancel(id)
            throw RPCError(.deadlineExceeded, "deadline exceeded")
        }
        return try await waitForAnswer(id: id, deadline: deadline, send: nil)
    }

    /// Registers the call's continuation (with its deadline timer), sends `frame` if given, and
    /// waits. Without a frame the call was sent while polling: the caller owns the socket and hands
    /// it to the reader thread here.
    private func waitForAnswer(id: UInt64, deadline: Deadline, send frame: [UInt8]?) async throws -> [UInt8] {
        let handingOver = frame == nil
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                // Registers the call and arms its deadline under one lock: the timer can fire at
                // once, and then finds the call registered.
                let (failure, wake) = state.withLock { state -> ((any Error)?, Bool) in
                    if handingOver { state.owner = .none }
                    if state.cancelledEarly.remove(id) != nil {
                        state.pending[id] = nil
                        return (RPCError(.cancelled, "call cancelled"), Self.wakeReaderIfParked(&state))
                    }
                    if !handingOver && (state.closed || state.closing) {
                        return (NotSent(error: .unavailable("connection closed")), false)
                    }
                    let timer = DeadlineTimer(afterMicroseconds: deadline.remainingMicroseconds) { [self] in
                        if complete(id, .failure(RPCError(.deadlineExceeded, "deadline exceeded"))) { sendCancel(id) }
                    }
                    state.pending[id] = .continuation(continuation, timer)
                    return (nil, Self.wakeReaderIfParked(&state))
                }
                if wake { readerWake.signal() }
                if let failure {
                    if handingOver { sendCancel(id) }
                    continuation.resume(throwing: failure)
                    return
                }
                guard let frame else { return }
                do {
                    try writer.send(frame)
                } catch {
                    complete(id, .failure(NotSent(error: .unavailable("connection lost"))))
                }
            }
        } onCancel: {
            let found = state.withLock { state -> Bool in
                if case .continuation? = state.pending[id] { return true }
                state.cancelledEarly.insert(id)
                return false
            }
            if found, complete(id, .failure(RPCError(.cancelled, "call cancelled"))) { sendCancel(id) }
        }
    }

    /// Resolves waiting call `id` once; false if it was already resolved.
    @discardableResult
    private func complete(_ id: UInt64, _ result: Result<[UInt8], any Error>) -> Bool {
        let waiting = state.withLock { state -> (UnsafeContinuation<[UInt8], any Error>, DeadlineTimer?)? in
            guard case .continuation(let continuation, let timer)? = state.pending[id] else { return nil }
            state.pending[id] = nil
            return (continuation, timer)
        }
        guard let (continuation, timer) = waiting else { return false }
        timer?.cancel()
        continuation.resume(with: result)
        return true
    }

    private func sendCancel(_ id: UInt64) {
        var frame: [UInt8] = []
        try? FrameEncoder.appendFrame(to: &frame, maxFrameSize: maxFrameSize) { buffer in
            EnvelopeFormat.append(Envelope(kind: .cancel, id: id), to: &buffer)
        }
        try? writer.send(frame)
    }

    // MARK: - Reading

    /// Handles one response frame: the polling caller's own answer goes to `answer`, others
    /// complete their waiting calls.
    private func handle(_ frame: UnsafeRawBufferPointer, polling: UInt64?, answer: inout Result<[UInt8], any Error>?) {
        guard let envelope = EnvelopeFormat.decode(frame), envelope.kind == .response else {
            writer.shutdown()
            return
        }
        let status = RPCError.Code(rawValue: envelope.status ?? RPCError.Code.unknown.rawValue)
        if envelope.id == 0 {
            state.withLock { $0.failure = RPCError(status, envelope.message ?? "connection failed") }
            return
        }
        let result: Result<[UInt8], any Error> = status == .ok
            ? .success(envelope.body) : .failure(RPCError(status, envelope.message ?? ""))
        if envelope.id == polling {
            answer = result
        } else {
            complete(envelope.id, result)
        }
    }

    /// The reader thread: reads while it owns the socket, parks while nobody waits for an answer.
    private func readLoop() {
        enum Step { case read, park, exit }
        var unused: Result<[UInt8], any Error>?
        while true {
            let step = state.withLock { state -> Step in
                if state.closed { return .exit }
                if state.owner == .none && (!state.pending.isEmpty || state.closing) { state.owner = .thread }
                if state.owner == .thread { return .read }
                state.readerParked = true
                return .park
            }
            switch step {
            case .exit:
                return
            case .park:
                readerWake.wait()
            case .read:
                if let end = reader.readOnce({ frame in handle(frame, polling: nil, answer: &unused) }) {
                    endConnection(end)
                    return
                }
                state.withLock { state in
                    if state.pending.isEmpty { state.owner = .none }
                }
            }
        }
    }

    /// The owner saw the stream end: fails every waiting call, closes the descriptor and lets the
    /// reader thread exit.
    private func endConnection(_ end: FrameReader.End) {
        let (orphans, failure, wake) = state.withLock { state in
            state.closed = true
            state.owner = .none
            defer { state.pending.removeAll() }
            return (state.pending, state.failure, Self.wakeReaderIfParked(&state))
        }
        for case .continuation(let continuation, let timer) in orphans.values {
            timer?.cancel()
            continuation.resume(throwing: failure)
        }
        writer.close()
        if wake { readerWake.signal() }
    }

    /// Whether the reader thread must be signalled to look at the state again (clears its flag).
    private static func wakeReaderIfParked(_ state: inout State) -> Bool {
        guard state.readerParked, state.owner == .none, state.closed || state.closing || !state.pending.isEmpty else { return false }
        state.readerParked = false
        return true
    }
}
