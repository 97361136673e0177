import Foundation

/// A parsed HTTP/1.1 (or 1.0) request.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The path without the query string.
    public var path: String
    /// The raw query string (after `?`), if any.
    public var query: String?
    /// Header names lowercased; repeated headers joined with ", ".
    public var headers: [String: String]
    public var body: [UInt8]
    /// The peer's address (TCP only).
    public var peer: String?
    /// True for an HTTP/1.0 request line.
    public var isHTTP10 = false
    /// The scheme the client used: `http` on this server's socket, unless the application (the gateway, from a trusted
    /// proxy's `X-Forwarded-Proto`) says it arrived over TLS (`https`).
    public var scheme = "http"

    public init(method: String, path: String, query: String? = nil, headers: [String: String] = [:], body: [UInt8] = [], peer: String? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.peer = peer
    }

    /// The value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The value of cookie `name` from the `Cookie` header(s), nil when absent or empty.
    public func cookie(_ name: String) -> String? {
        guard let header = headers["cookie"] else { return nil }
        // Pairs are separated by `;` (and by `,` when several Cookie headers were joined).
        for pair in header.split(whereSeparator: { $0 == ";" || $0 == "," }) {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name else { continue }
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// Whether the connection stays open after the answer (RFC 9112 9.3): HTTP/1.1 unless the
    /// client sent `Connection: close`; HTTP/1.0 only when it sent `Connection: keep-alive`.
    public var keepsAlive: Bool {
        guard let value = headers["connection"] else { return !isHTTP10 }   // most requests: no parsing
        let options = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if options.contains("close") { return false }
        return isHTTP10 ? options.contains("keep-alive") : true
    }
}
