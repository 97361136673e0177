/// A parsed HTTP/1.1 request.
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
}
