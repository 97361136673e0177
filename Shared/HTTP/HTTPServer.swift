import Dispatch
import Foundation
import Observability
import Posix
import Synchronization

/// A small, strict HTTP/1.1 server: keep-alive, limits on head and body size, a deadline for the
/// head to arrive, and a cap on connections. One thread per connection; handlers are async.
public final class HTTPServer: Sendable {
    /// Answers one request.
    public typealias Handler = @Sendable (HTTPRequest) async -> HTTPResponse

    /// Limits and timeouts.
    public struct Limits: Sendable {
        public var maxHeaderBytes = 16 * 1024
        public var maxBodyBytes = 1 << 20
        public var headerTimeoutSeconds = 10.0
        public var idleTimeoutSeconds = 60.0
        public var maxConnections = 1024
        /// Connections one client address may hold at once, so a single client cannot take every
        /// connection; addresses for which `isExemptClient` is true (reverse proxies) have no such cap.
        public var maxConnectionsPerClient = 256
        public var isExemptClient: (@Sendable (String) -> Bool)?
        /// Per-route body limits (method, path) → bytes; nil uses `maxBodyBytes` everywhere.
        public var bodyLimit: (@Sendable (String, String) -> Int)?

        public init() {}
    }

    private struct State {
        var listener: FileDescriptor?
        var connections: [Int32: FileDescriptor] = [:]
        /// Open connections per capped client address.
        var perClient: [String: Int] = [:]
    }

    private let handler: Handler
    private let limits: Limits
    private let logger: Logger
    private let state = Mutex(State())

    public init(limits: Limits = Limits(), logger: Logger, handler: @escaping Handler) {
        self.limits = limits
        self.logger = logger
        self.handler = handler
    }

    /// Listens on `host:port` (0 picks a free port) and returns the bound port.
    public func start(host: String, port: UInt16) throws -> UInt16 {
        let listener = try Socket.listenTCP(host: host, port: port)
        let bound = try Socket.localPort(listener)
        state.withLock { $0.listener = listener }
        let thread = Thread { [self] in acceptLoop(listener) }
        thread.name = "http-accept"
        thread.start()
        return bound
    }

    /// Closes the listener and every connection.
    public func stop() {
        // Under the lock, so no descriptor is shut down after its thread closed it.
        state.withLock { state in
            if let listener = state.listener { Socket.shutdown(listener) }   // the accept thread closes it
            state.listener = nil
            for fd in state.connections.values { Socket.shutdown(fd) }
        }
    }

    private func acceptLoop(_ listener: FileDescriptor) {
        Socket.acceptLoop(listener, isStopped: { state.withLock { $0.listener == nil } }) { fd in
            accept(fd)
            return true
        }
    }

    /// Serves the connection `fd` on a thread of its own, or refuses it (503) over the connection limits.
    private func accept(_ fd: FileDescriptor) {
        let peer = Socket.peerAddress(fd)
        // Unix-socket clients have no address: they are local, and not capped.
        let capped = peer.map { limits.isExemptClient?($0) != true } ?? false
        let refusal = state.withLock { state -> String? in
            guard state.connections.count < limits.maxConnections else { return "too many connections" }
            if capped, let peer {
                guard state.perClient[peer, default: 0] < limits.maxConnectionsPerClient else { return "too many connections from this client" }
                state.perClient[peer, default: 0] += 1
            }
            state.connections[fd.rawValue] = fd
            return nil
        }
        if let refusal {
            try? Socket.sendAll(fd, HTTPResponse.error(503, code: "UNAVAILABLE", message: refusal).serialized(keepAlive: false))
            fd.close()
            return
        }
        try? Socket.setNoDelay(fd)
        let thread = Thread { [self] in
            // The thread waits for its handler anyway: the handler's RPC calls may wait on it too.
            BlockingThread.markCurrent()
            serve(fd, peer: peer)
            state.withLock { state in
                state.connections.removeValue(forKey: fd.rawValue)
                if capped, let peer {
                    let left = state.perClient[peer, default: 1] - 1
                    state.perClient[peer] = left > 0 ? left : nil
                }
                fd.close()
            }
        }
        thread.stackSize = 512 * 1024
        thread.start()
    }

    private func serve(_ fd: FileDescriptor, peer: String?) {
        var parser = HTTPRequestParser(maxHeaderBytes: limits.maxHeaderBytes, maxBodyBytes: limits.maxBodyBytes, bodyLimit: limits.bodyLimit)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
        defer { chunk.deallocate() }
        var headStarted: UInt64?
        while true {
            // Answer every complete request already buffered (pipelining).
            do {
                while let request = try parser.next() {
                    headStarted = nil
                    var request = request
                    request.peer = peer
                    let keepAlive = request.keepsAlive
                    let response = runHandler(request)
                    do {
                        // An HTTP/1.0 client keeps the connection only when told so.
                        try Socket.sendAll(fd, response.serialized(keepAlive: keepAlive, announceKeepAlive: keepAlive && request.isHTTP10))
                    } catch {
                        return
                    }
                    if !keepAlive { return }
                }
            } catch {
                try? Socket.sendAll(fd, HTTPResponse.error(error.status, code: "BAD_REQUEST", message: error.message).serialized(keepAlive: false))
                return
            }
            // Wait for more bytes: a request whose head started must finish it within the header timeout.
            let now = Monotonic.nanoseconds()
            if parser.hasPartialRequest && headStarted == nil { headStarted = now }
            let waitMilliseconds: Double
            if let headStarted {
                waitMilliseconds = limits.headerTimeoutSeconds * 1000 - Double(now - headStarted) / 1e6
            } else {
                waitMilliseconds = limits.idleTimeoutSeconds * 1000
            }
            guard waitMilliseconds > 0, (try? fd.waitReadable(timeoutMilliseconds: Int32(waitMilliseconds))) == true else {
                if parser.hasPartialRequest {
                    try? Socket.sendAll(fd, HTTPResponse.error(408, code: "TIMEOUT", message: "request not received in time").serialized(keepAlive: false))
                }
                return
            }
            guard let count = try? fd.read(into: chunk), count > 0 else { return }
            if headStarted == nil { headStarted = now }
            parser.append(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
        }
    }

    private func runHandler(_ request: HTTPRequest) -> HTTPResponse {
        let box = ResponseBox()
        let semaphore = DispatchSemaphore(value: 0)
        let handler = self.handler
        // Starts on this connection thread and runs until its first suspension (routing, token checks,
        // the first RPC's encoding): one thread hop fewer per request than a plain Task.
        Task.immediate {
            box.set(await handler(request))
            semaphore.signal()
        }
        semaphore.wait()
        return box.get()
    }
}

/// Carries a response from the handler's task to the connection thread.
private final class ResponseBox: Sendable {
    private let value = Mutex<HTTPResponse?>(nil)
    func set(_ response: HTTPResponse) { value.withLock { $0 = response } }
    func get() -> HTTPResponse { value.withLock { $0 } ?? HTTPResponse.error(500, code: "INTERNAL", message: "internal error") }
}
