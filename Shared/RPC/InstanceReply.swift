/// What one instance made of a call sent to every instance (``RPCClient/callEveryInstance(_:_:metadata:timeout:only:)``).
public enum InstanceReply<Response: Sendable>: Sendable {
    /// The instance ran the call.
    case answered(Response)
    /// No process serves the instance: nothing listens at its socket, or it refused the call unrun while shutting
    /// down. It holds no state then, and a process started later loads what it needs from storage.
    case notRunning
    /// A running instance failed the call (its deadline, or an error of the handler): it may not have applied it.
    case failed(RPCError)

    /// The answer, if the instance ran the call.
    public var answer: Response? {
        if case .answered(let response) = self { return response }
        return nil
    }

    /// The error, if a running instance failed the call.
    public var failure: RPCError? {
        if case .failed(let error) = self { return error }
        return nil
    }
}
