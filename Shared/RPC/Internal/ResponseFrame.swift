/// What a client reads in one frame from a server.
enum ResponseFrame {
    /// The answer to call `id`: its body for OK, else the status and message.
    case answer(id: UInt64, Result<[UInt8], RPCError>)
    /// Request id 0: the server failed the whole connection with this status.
    case connectionFailed(RPCError)
    /// Not a response envelope.
    case malformed

    init(_ frame: UnsafeRawBufferPointer) {
        guard let envelope = EnvelopeFormat.decode(frame), envelope.kind == .response else {
            self = .malformed
            return
        }
        let status = RPCError.Code(rawValue: envelope.status ?? RPCError.Code.unknown.rawValue)
        if envelope.id == 0 {
            self = .connectionFailed(RPCError(status, envelope.message ?? "connection failed"))
        } else {
            self = .answer(id: envelope.id, status == .ok ? .success(envelope.body) : .failure(RPCError(status, envelope.message ?? "")))
        }
    }
}
