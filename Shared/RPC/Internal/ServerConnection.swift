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
                send(Envelope(kind: .response, id: 0, status: RPCError.Code.resourceExhausted.rawValue,
                              message: "frame exceeds the limit of \(server.maxFrameSize) bytes"))
            }
            server.logger.warning("closing connection after a framing error", ["reason": .string(error.description)])
        }
        let abandoned = calls.withLock { calls -> [ServerCall] in
            defer { calls.removeAll() }
            return Array(calls.values)
        }
        for call in abandoned where call.finish(cancelHandler: true) { server.callEnded() }
        writer.close()
        server.connectionClosed(self)
    }

    private func handle(_ frame: UnsafeRawBufferPointer) {
        guard let envelope = EnvelopeFormat.decode(frame) else {
            server.logger.warning("dropping an undecodable frame", ["bytes": .int(frame.count)])
            shutdown()
            return
        }
        switch envelope.kind {
        case .request:
            dispatch(envelope)
        case .cancel:
            let call = calls.withLock { $0.removeValue(forKey: envelope.id) }
            if let call, call.finish(cancelHandler: true) { server.callEnded() }
        case .response:
            server.logger.warning("ignoring a response frame sent to a server")
        }
    }

    private func dispatch(_ request: Envelope) {
        let id = request.id
        let method = request.method ?? ""
        guard let handler = server.handler(for: method) else {
            reply(id: id, error: RPCError(.unimplemented, "unknown method \(method.prefix(200))"))
            return
        }
        if server.isDraining && !server.answersWhileDraining(method) {
            reply(id: id, error: RPCError(.unavailable, "server is draining"))
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
        let metadata = request.metadata ?? Metadata()
        let call = ServerCall()
        calls.withLock { $0[id] = call }
        server.callStarted()
        let started = Monotonic.nanoseconds()

        var timer: DeadlineTimer?
        if let timeout = request.timeoutMicroseconds {
            timer = DeadlineTimer(afterMicroseconds: timeout) { [self] in
                guard call.finish(cancelHandler: true) else { return }
                calls.withLock { _ = $0.removeValue(forKey: id) }
                reply(id: id, error: RPCError(.deadlineExceeded, "deadline exceeded"))
                server.callEnded()
                server.record(method: method, code: .deadlineExceeded, started: started)
            }
        }
        let context = ServerContext(method: method, metadata: metadata, deadline: deadline, logger: server.logger)
        let body = request.body
        let codec = server.codec
        // Starts on this reader thread and runs until its first suspension: a handler that never
        // suspends (echo, health, CPU-only work) costs no thread hop at all.
        let task = Task.immediate { [self] in
            var response: Envelope
            var code = RPCError.Code.ok
            do {
                let bytes = try await handler(body, context, codec)
                response = Envelope(kind: .response, id: id, status: 0, body: bytes)
            } catch {
                let status = server.status(for: error, method: method)
                code = status.code
                response = Envelope(kind: .response, id: id, status: status.code.rawValue, message: status.message)
            }
            guard call.finish(cancelHandler: false) else { return }
            calls.withLock { _ = $0.removeValue(forKey: id) }
            send(response)
            server.callEnded()
            server.record(method: method, code: code, started: started)
        }
        call.attach(task: task, timer: timer)
    }

    private func reply(id: UInt64, error: RPCError) {
        send(Envelope(kind: .response, id: id, status: error.code.rawValue, message: error.message))
    }

    private func send(_ envelope: Envelope) {
        var frame: [UInt8] = []
        do {
            try FrameEncoder.appendFrame(to: &frame, maxFrameSize: server.maxFrameSize) { buffer in
                EnvelopeFormat.append(envelope, to: &buffer)
            }
        } catch {
            server.logger.error("response too large to send", ["method": "response", "bytes": .int(envelope.body.count)])
            if envelope.status == 0 {
                send(Envelope(kind: .response, id: envelope.id, status: RPCError.Code.resourceExhausted.rawValue,
                              message: "response exceeds the frame size limit"))
            }
            return
        }
        do {
            try writer.send(frame)
        } catch {
            // The peer is gone; the reader sees the end of stream and cleans up.
        }
    }
}
