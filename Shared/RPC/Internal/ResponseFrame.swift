/// What a client reads in one frame from a server. `Body` is what an OK answer's body becomes:
/// a copy of its bytes (multiplexed calls, answered on another thread), or the response message
/// decoded in place (direct calls).
enum ResponseFrame<Body> {
    /// The answer to call `id`: its body for OK, else the status and message.
    case answer(id: UInt64, Result<Body, RPCError>)
    /// Request id 0: the server failed the whole connection with this status.
    case connectionFailed(RPCError)
    /// Not a response envelope.
    case malformed

    /// Reads `frame` in place; `body` turns an OK answer's body into `Body` (only for `wanted`
    /// ids, when given), and what it throws becomes the answer's error (an ``RPCError`` as it is,
    /// anything else INTERNAL).
    init(_ frame: UnsafeRawBufferPointer, wanted: UInt64? = nil, body: (UnsafeRawBufferPointer) throws -> Body) {
        guard let envelope = EnvelopeFormat.responseView(frame) else {
            self = .malformed
            return
        }
        let status = RPCError.Code(rawValue: envelope.status)
        if envelope.id == 0 {
            self = .connectionFailed(RPCError(status, envelope.message ?? "connection failed"))
        } else if status != .ok {
            self = .answer(id: envelope.id, .failure(RPCError(status, envelope.message ?? "")))
        } else if let wanted, wanted != envelope.id {
            // Not the call waited for: its body is not read.
            self = .answer(id: envelope.id, .failure(RPCError(.unknown, "not the call waited for")))
        } else {
            do {
                self = .answer(id: envelope.id, .success(try body(envelope.body)))
            } catch let error as RPCError {
                self = .answer(id: envelope.id, .failure(error))
            } catch {
                self = .answer(id: envelope.id, .failure(RPCError.internalError("malformed response")))
            }
        }
    }
}

extension ResponseFrame where Body == [UInt8] {
    /// Reads `frame`, copying an OK answer's body.
    init(_ frame: UnsafeRawBufferPointer) {
        self.init(frame) { Array($0) }
    }
}
