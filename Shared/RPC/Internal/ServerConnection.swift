import Dispatch
import Foundation
import Observability
import Posix
import Synchronization
import Wire

/// One accepted connection: a reader thread that dispatches requests, and a batching writer.
final class ServerConnection: Sendable {
    private let fd: FileDescriptor
    private let writer: FrameWriter
    private let server: RPCServer
    private let calls = Mutex<[UInt64: ServerCall]>([:])

    init(fd: FileDescriptor, server: RPCServer) {
        self.fd = fd
        self.writer = FrameWriter(fd: fd)
        self.server = server
    }

    /// Starts the reader thread.
    func start() {
        let thread = Thread { [self] in self.readLoop() }
        thread.name = "rpc-conn-\(fd.rawValue)"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Wakes the reader so the connection winds down.
    func shutdown() { writer.shutdown() }

    private func readLoop() {
        let reader = FrameReader(fd: fd, maxFrameSize: server.maxFrameSize)
        let end = reader.run(batching: writer) { frame in handle(frame) }
        switch end {
        case .closed, .failed:
            break
        case .protocolError(let error):
            if case .frameTooLarge = error {
                // The frame's id is unknown; answer on id 0 so the client can fail the connection's calls.
                reply(id: 0, error: RPCError(.resourceExhausted, "frame exceeds the limit of \(server.maxFrameSize) bytes"))
            }
            server.logger.warning("closing connection after a framing error", ["reason": .string(error.description)])
        }
        let abandoned = calls.withLock { calls -> [ServerCall] in
            defer { calls.removeAll() }
            return Array(calls.values)
        }
        for call in abandoned where call.finish(cancelHandler: true).first { server.callEnded() }
        writer.close()
        server.connectionClosed(self)
    }

    private func handle(_ frame: UnsafeRawBufferPointer) {
        if let request = EnvelopeFormat.requestView(frame) {
            dispatch(request)
            return
        }
        guard let envelope = EnvelopeFormat.decode(frame) else {
            server.logger.warning("dropping an undecodable frame", ["bytes": .int(frame.count)])
            shutdown()
            return
        }
        switch envelope.kind {
        case .request:
            break   // a well-formed request is a request view
        case .cancel:
            let call = calls.withLock { $0.removeValue(forKey: envelope.id) }
            if let call, call.finish(cancelHandler: true).first { server.callEnded() }
        case .response:
            server.logger.warning("ignoring a response frame sent to a server")
        }
    }

    /// Routes a request read in place: decodes its body at once (the frame is only valid during
    /// this call), then runs the handler: a synchronous one right here, an asynchronous one in a
    /// task that starts on this thread.
    private func dispatch(_ request: EnvelopeFormat.RequestView) {
        let id = request.id
        guard let method = server.method(named: request.method) else {
            let name = String(decoding: request.method.prefix(200), as: UTF8.self)
            reply(id: id, error: RPCError(.unimplemented, "unknown method \(name)"))
            return
        }
        if server.isDraining && !method.answersWhileDraining {
            reply(id: id, error: .draining)
            return
        }
        var deadline: Deadline?
        if let timeout = request.timeoutMicroseconds {
            guard timeout > 0 else {
                reply(id: id, error: RPCError(.deadlineExceeded, "deadline exceeded before the call started"))
                return
            }
            deadline = Deadline.after(microseconds: timeout)
        }
        let started = Monotonic.nanoseconds()
        let codec = server.codec
        let prepared: Router.PreparedCall
        do {
            prepared = try method.handler(request.body, codec)
        } catch {
            let status = error as? RPCError ?? RPCError.invalidArgument("invalid request body")
            reply(id: id, error: status)
            record(method, status.code, started)
            return
        }
        let context = ServerContext(method: method.name, metadata: request.metadata, deadline: deadline, logger: server.logger)
        server.callStarted()
        switch prepared {
        case .immediate(let run):
            var (frame, headerIndex) = Self.beginResponse(id: id)
            var failure: (any Error)?
            do { try run(context, codec, &frame) } catch { failure = error }
            let code = finishResponse(&frame, headerIndex: headerIndex, id: id, method: method, failure: failure)
            send(frame)
            server.callEnded()
            record(method, code, started)
        case .async(let run):
            runInTask(id: id, method: method, deadline: deadline, started: started) { frame in try await run(context, codec, &frame) }
        }
    }

    /// Runs an asynchronous handler in a task that starts on this reader thread and runs until its
    /// first suspension: a handler that never suspends costs no thread hop, no registration and no
    /// timer. One still running then is tracked for cancels and gets its deadline timer.
    private func runInTask(id: UInt64, method: MethodTable.Entry, deadline: Deadline?, started: UInt64,
                           _ run: @escaping @Sendable (inout [UInt8]) async throws -> Void) {
        let call = ServerCall()
        let task = Task.immediate { [self] in
            var (frame, headerIndex) = Self.beginResponse(id: id)
            var failure: (any Error)?
            do { try await run(&frame) } catch { failure = error }
            let code = finishResponse(&frame, headerIndex: headerIndex, id: id, method: method, failure: failure)
            let (first, registered) = call.finish(cancelHandler: false)
            guard first else { return }
            if registered { calls.withLock { _ = $0.removeValue(forKey: id) } }
            send(frame)
            server.callEnded()
            record(method, code, started)
        }
        let tracked = calls.withLock { calls -> Bool in
            guard call.register() else { return false }
            calls[id] = call
            return true
        }
        guard tracked else { return }
        var timer: DeadlineTimer?
        if let deadline {
            timer = DeadlineTimer(afterMicroseconds: deadline.remainingMicroseconds) { [self] in
                guard call.finish(cancelHandler: true).first else { return }
                calls.withLock { _ = $0.removeValue(forKey: id) }
                reply(id: id, error: RPCError(.deadlineExceeded, "deadline exceeded"))
                server.callEnded()
                record(method, .deadlineExceeded, started)
            }
        }
        call.attach(task: task, timer: timer)
    }

    /// A response frame for call `id` with its OK header written; the handler appends its message.
    private static func beginResponse(id: UInt64) -> (frame: [UInt8], headerIndex: Int) {
        var frame: [UInt8] = []
        frame.reserveCapacity(2048)
        let headerIndex = FrameEncoder.beginFrame(&frame)
        EnvelopeFormat.appendResponseHeader(id: id, status: 0, message: nil, to: &frame)
        return (frame, headerIndex)
    }

    /// Completes the frame begun by ``beginResponse(id:)``, or replaces it with the status for
    /// `failure` (or for a response too large to send); returns the call's status code.
    private func finishResponse(_ frame: inout [UInt8], headerIndex: Int, id: UInt64, method: MethodTable.Entry, failure: (any Error)?) -> RPCError.Code {
        do {
            if let failure { throw failure }
            try FrameEncoder.finishFrame(&frame, startingAt: headerIndex, maxFrameSize: server.maxFrameSize)
            return .ok
        } catch is FrameError {
            server.logger.error("response too large to send", ["method": .string(method.name), "bytes": .int(frame.count)])
            frame = Self.errorFrame(id: id, RPCError(.resourceExhausted, "response exceeds the frame size limit"))
            return .resourceExhausted
        } catch {
            let status = server.status(for: error, method: method.name)
            frame = Self.errorFrame(id: id, status)
            return status.code
        }
    }

    private func record(_ method: MethodTable.Entry, _ code: RPCError.Code, _ started: UInt64) {
        method.latency?.observe(code: code, seconds: Double(Monotonic.nanoseconds() - started) / 1e9)
    }

    private func reply(id: UInt64, error: RPCError) {
        send(Self.errorFrame(id: id, error))
    }

    /// A response frame carrying `error` and no body.
    private static func errorFrame(id: UInt64, _ error: RPCError) -> [UInt8] {
        var frame: [UInt8] = []
        let headerIndex = FrameEncoder.beginFrame(&frame)
        EnvelopeFormat.appendResponseHeader(id: id, status: error.code.rawValue, message: error.message, to: &frame)
        try? FrameEncoder.finishFrame(&frame, startingAt: headerIndex, maxFrameSize: Int(UInt32.max))
        return frame
    }

    private func send(_ frame: [UInt8]) {
        do {
            try writer.send(frame)
        } catch {
            // The peer is gone; the reader sees the end of stream and cleans up.
        }
    }
}
