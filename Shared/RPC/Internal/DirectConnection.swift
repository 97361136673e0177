import Posix
import Wire

/// A connection that one blocking caller at a time (a thread marked with
/// ``Posix/BlockingThread``) uses on its own: it writes its request and reads the answer itself, as
/// a plain blocking client. No reader thread, no continuation and no hop to the cooperative pool:
/// the answer wakes the caller directly, which is one wake-up per call instead of two or three on a
/// multiplexed ``ClientConnection``.
///
/// One call is in flight at a time, so any answer read is the caller's. A call that fails in any way
/// but a non-OK status from the server leaves the connection in an unknown state: the caller
/// closes it instead of returning it to its pool.
final class DirectConnection: @unchecked Sendable {
    private let fd: FileDescriptor
    private let reader: FrameReader
    /// Only touched by the caller holding the connection (``ClientInstance`` lends it to one at a time).
    @exclusivity(unchecked) private var nextID: UInt64 = 1
    /// The receive timeout set on the socket, in microseconds (0: none yet, reads would block
    /// forever); see ``limitWait(to:exactly:)``.
    @exclusivity(unchecked) private var receiveTimeout: Int64 = 0

    /// Connects to `path`.
    init(path: String, maxFrameSize: Int) throws(Errno) {
        fd = try Socket.connectUnix(path: path)
        reader = FrameReader(fd: fd, maxFrameSize: maxFrameSize)
    }

    /// How a call ended other than with an answer or a status.
    enum Failure: Error {
        /// The request could not be written: it never reached the server (safe to retry).
        case notSent
        /// No answer by the deadline.
        case deadlineExceeded
        /// The connection ended or broke after the request was written.
        case lost(RPCError)
    }

    /// Sends one request (stamping its id and remaining time into `frame`) and blocks until its
    /// answer: for OK, what `decode` makes of the body, read in place in the connection's buffer (an
    /// error it throws is the call's: an ``RPCError`` as it is, anything else INTERNAL); an
    /// ``RPCError`` for another status; ``Failure`` otherwise.
    func call<Response>(frame: inout RequestFrame, deadline: Deadline, decode: (UnsafeRawBufferPointer) throws -> Response) throws -> Response {
        let id = nextID
        nextID &+= 1
        frame.stamp(id: id, timeoutMicroseconds: max(1, deadline.remainingMicroseconds))
        do {
            try Socket.sendAll(fd, frame.bytes)
        } catch {
            throw Failure.notSent
        }
        // The answer is decoded straight into this slot: no Optional or Result of `Response`, whose
        // metadata the runtime would look up on every call (this code is not specialized).
        return try withUnsafeTemporaryAllocation(of: Response.self, capacity: 1) { slot in
            try waitForAnswer(id, deadline: deadline) { body in slot.baseAddress!.initialize(to: try decode(body)) }
            return slot.baseAddress!.move()
        }
    }

    /// Blocks until the answer to call `id`; hands an OK answer's body (in place) to `onBody`, which
    /// keeps what it makes of it. Throws like ``call(frame:deadline:decode:)``.
    private func waitForAnswer(_ id: UInt64, deadline: Deadline, onBody: (UnsafeRawBufferPointer) throws -> Void) throws {
        var answer: Result<Void, RPCError>?
        var failure: RPCError?
        var timedOut = false
        while answer == nil {
            let remaining = deadline.remainingMicroseconds
            guard remaining > 0 else { throw Failure.deadlineExceeded }
            try limitWait(to: remaining, exactly: timedOut)
            let end = reader.readOnce { frame in
                // Once the call is decided, later frames of the same read are not for it (and its
                // answer must reach `onBody` only once).
                guard answer == nil, failure == nil else { return }
                switch ResponseFrame(frame, wanted: id, body: onBody) {
                case .answer(let answered, let result): if answered == id { answer = result }
                case .connectionFailed(let error): failure = error
                case .malformed: failure = RPCError.internalError("malformed response frame")
                }
            }
            if answer == nil, let failure { throw Failure.lost(failure) }
            switch end {
            case nil: continue
            case .failed(let error) where error == .wouldBlock:
                timedOut = true // before the deadline, maybe: check it, then wait for all the time left
                continue
            default: throw Failure.lost(.connectionLost)
            }
        }
        try answer!.get()
    }

    /// Makes a blocked read give up within `remaining` microseconds. The socket's receive timeout is
    /// only lowered when it exceeds them, and set a little under them: the next calls, which usually
    /// have about as much time left, keep it and wait with one system call (the read) instead of two
    /// (poll, read). After a read that timed out before the deadline, `exactly` waits for the rest.
    private func limitWait(to remaining: Int64, exactly: Bool) throws(Failure) {
        guard exactly || receiveTimeout == 0 || receiveTimeout > remaining else { return }
        let timeout = exactly ? remaining : max(1, remaining - remaining / 8)
        do {
            try Socket.setReceiveTimeout(fd, microseconds: timeout)
        } catch {
            throw Failure.lost(.connectionLost)
        }
        receiveTimeout = timeout
    }

    /// Closes the socket.
    func close() {
        fd.close()
    }
}
