import Foundation

/// An HTTP response to send.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response from an already-encoded body.
    public static func json(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: Array(text.utf8))
    }

    /// The standard error body `{"error": {"code", "message"}}`.
    public static func error(_ status: Int, code: String, message: String) -> HTTPResponse {
        struct Body: Encodable {
            struct Detail: Encodable { let code: String; let message: String }
            let error: Detail
        }
        let data = (try? JSONEncoder().encode(Body(error: .init(code: code, message: message)))) ?? Data()
        return HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: Array(data))
    }

    /// The reason phrase for common status codes.
    public static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 411: return "Length Required"
        case 413: return "Content Too Large"
        case 415: return "Unsupported Media Type"
        case 422: return "Unprocessable Content"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "Status"
        }
    }

    /// The bytes on the wire. Every response says `X-Content-Type-Options: nosniff` (browsers must
    /// not guess a type other than the one sent, e.g. run a JSON error echoing input as a script).
    /// `announceKeepAlive` adds `Connection: keep-alive`, which HTTP/1.0 clients need to keep it.
    public func serialized(keepAlive: Bool, announceKeepAlive: Bool = false) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(HTTPResponse.reason(status))\r\n"
        var sniffingSaid = false
        for (name, value) in headers {
            head += "\(name): \(value)\r\n"
            if !sniffingSaid, name.utf8.count == 22, name.lowercased() == "x-content-type-options" { sniffingSaid = true }
        }
        if !sniffingSaid { head += "X-Content-Type-Options: nosniff\r\n" }
        head += "Content-Length: \(body.count)\r\n"
        if !keepAlive { head += "Connection: close\r\n" } else if announceKeepAlive { head += "Connection: keep-alive\r\n" }
        head += "\r\n"
        return Array(head.utf8) + body
    }
}
