import Foundation
import HTTP
import Observability

/// A scripted HTTP server on 127.0.0.1 for tests: answers each request with the next scripted
/// reply (or a default), and logs what it received.
public final class FakeHTTPServer: @unchecked Sendable {
    /// One scripted reply.
    public struct Reply: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: String
        /// Seconds to wait before answering (a stall).
        public var delay: Double

        public init(status: Int, headers: [(String, String)] = [("Content-Type", "application/json")], body: String, delay: Double = 0) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
        }
    }

    private let lock = NSLock()
    private var script: [Reply] = []
    private var fallback: (@Sendable (HTTPRequest) -> Reply)?
    private var log: [HTTPRequest] = []
    private var server: HTTPServer!
    public private(set) var port: UInt16 = 0

    public init() throws {
        server = HTTPServer(logger: Logger(label: "fake", sink: .discard)) { [self] request in
            let reply = next(for: request)
            if reply.delay > 0 { try? await Task.sleep(nanoseconds: UInt64(reply.delay * 1e9)) }
            return HTTPResponse(status: reply.status, headers: reply.headers, body: Array(reply.body.utf8))
        }
        port = try server.start(host: "127.0.0.1", port: 0)
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Queues replies, used in order.
    public func enqueue(_ replies: Reply...) {
        lock.lock()
        script += replies
        lock.unlock()
    }

    /// The reply when the script is empty.
    public func setFallback(_ handler: @escaping @Sendable (HTTPRequest) -> Reply) {
        lock.lock()
        fallback = handler
        lock.unlock()
    }

    /// Requests received so far.
    public var requests: [HTTPRequest] {
        lock.lock()
        defer { lock.unlock() }
        return log
    }

    public func stop() { server.stop() }

    private func next(for request: HTTPRequest) -> Reply {
        lock.lock()
        defer { lock.unlock() }
        log.append(request)
        if !script.isEmpty { return script.removeFirst() }
        return fallback?(request) ?? Reply(status: 404, body: #"{"error":"not scripted"}"#)
    }
}
