import Posix
import Wire

extension RPCClient {
    /// How many instances the client calls.
    public var instanceCount: Int { inProcess == nil ? instances.count : 1 }

    /// Calls `method` on every instance (or on those numbered in `only`) at once and waits for all of them, within
    /// `timeout` seconds (the client default if nil): for calls that change what an instance keeps in memory
    /// (learning, forgetting a tenant), which every instance must see before the caller goes on.
    ///
    /// An instance nothing listens at, or that refuses the call unrun while shutting down, is ``InstanceReply/notRunning``:
    /// its next process starts empty. A connection that breaks before or during the call is replaced and the call sent
    /// again until the deadline (a restarted instance then answers, or is found not running), so `method` must be
    /// idempotent. Throws only when the request cannot be encoded; the replies say how each instance fared, by instance number.
    public func callEveryInstance<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, _ request: Request, metadata: Metadata = Metadata(), timeout: Double? = nil,
        only: [Int]? = nil
    ) async throws -> [Int: InstanceReply<Response>] {
        let deadline = Deadline.after(seconds: timeout ?? defaultTimeout)
        if inProcess != nil {
            guard only?.contains(0) ?? true else { return [:] }
            do {
                return [0: .answered(try await call(method, request, metadata: metadata, deadline: deadline))]
            } catch let error as RPCError {
                return [0: .failed(error)]
            } catch {
                return [0: .failed(.internalError())]
            }
        }
        let frame = try requestFrame(method, request, metadata: metadata)
        let indexes = (only ?? Array(instances.indices)).filter { instances.indices.contains($0) }
        return await withTaskGroup(of: (Int, InstanceReply<Response>).self) { group in
            for index in indexes {
                group.addTask { (index, await self.callInstance(index, frame: frame, deadline: deadline, method: method)) }
            }
            var replies: [Int: InstanceReply<Response>] = [:]
            for await (index, reply) in group { replies[index] = reply }
            return replies
        }
    }

    /// One instance's part of ``callEveryInstance(_:_:metadata:timeout:only:)``.
    private func callInstance<Request, Response>(
        _ index: Int, frame: RequestFrame, deadline: Deadline, method: MethodDescriptor<Request, Response>
    ) async -> InstanceReply<Response> {
        let instance = instances[index]
        let started = Monotonic.nanoseconds()
        var frame = frame
        var backoff = Backoff(initial: 0.01, maximum: 0.2, multiplier: 2, jitter: 0.2)
        while true {
            do {
                let connection = try instance.connection()
                let body = try await connection.call(frame: &frame, deadline: deadline)
                record(method.fullName, .ok, started)
                do {
                    return .answered(try codec.decode(Response.self, from: body))
                } catch {
                    return .failed(.internalError("malformed response from \(service)"))
                }
            } catch let failure as NotSent {
                if failure.unreachable { return .notRunning }
                // The connection broke before the request went out (the instance restarted): a new one is made.
            } catch let error as RPCError {
                // A lost connection: the process died (a new one is found not running, or answers) or only the
                // connection broke; either way, asking again settles it.
                if !error.isConnectionLoss {
                    record(method.fullName, error.code, started)
                    // Refused unrun: the server is draining.
                    return error.isRefusedUnrun ? .notRunning : .failed(error)
                }
            } catch {
                return .failed(.internalError())
            }
            if Task.isCancelled { return .failed(RPCError(.cancelled, "call cancelled")) }
            if deadline.hasPassed { return .failed(RPCError(.deadlineExceeded, "deadline exceeded")) }
            let delay = min(backoff.next(), deadline.remainingSeconds)
            if delay > 0 { try? await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
        }
    }
}
