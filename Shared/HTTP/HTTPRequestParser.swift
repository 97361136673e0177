import Foundation

/// Parses HTTP/1.1 requests from a byte stream: a pure state machine, fed chunks of any size.
///
/// Strict: the request line and headers together must fit `maxHeaderBytes`, bodies `maxBodyBytes`;
/// Content-Length and chunked Transfer-Encoding are both supported, but a request carrying both
/// (ambiguous framing, the request-smuggling shape) is refused, as are obsolete line folding,
/// repeated differing Content-Length values and bare LF line ends in the head.
public struct HTTPRequestParser: Sendable {
    public let maxHeaderBytes: Int
    public let maxBodyBytes: Int
    /// The body limit of one request, from its method and path (defaults to `maxBodyBytes`).
    private let bodyLimit: @Sendable (String, String) -> Int

    private enum State: Sendable {
        case head
        case fixedBody(HTTPRequest, remaining: Int)
        case chunkSize(HTTPRequest)
        case chunkData(HTTPRequest, remaining: Int)
        case chunkDataEnd(HTTPRequest)
        case trailers(HTTPRequest)
    }

    private var buffer: [UInt8] = []
    private var index = 0
    private var state: State = .head
    private var currentLimit = 0

    public init(maxHeaderBytes: Int = 16 * 1024, maxBodyBytes: Int = 1 << 20, bodyLimit: (@Sendable (String, String) -> Int)? = nil) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
        self.bodyLimit = bodyLimit ?? { _, _ in maxBodyBytes }
    }

    /// Whether bytes of an unfinished request are buffered.
    public var hasPartialRequest: Bool {
        if case .head = state { return index < buffer.count }
        return true
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if index > 0 && index >= buffer.count / 2 {
            buffer.removeSubrange(0..<index)
            index = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete request, nil if more bytes are needed.
    public mutating func next() throws(HTTPParseError) -> HTTPRequest? {
        while true {
            switch state {
            case .head:
                guard let end = findHeadEnd() else {
                    if buffer.count - index > maxHeaderBytes { throw HTTPParseError(431, "request head too large") }
                    return nil
                }
                guard end - index <= maxHeaderBytes else { throw HTTPParseError(431, "request head too large") }
                let start = index
                index = end + 4
                let (request, framing) = try parseHead(start..<end)
                switch framing {
                case .none: return request
                case .length(let length):
                    if length == 0 { return request }
                    state = .fixedBody(request, remaining: length)
                case .chunked:
                    state = .chunkSize(request)
                }
            case .fixedBody(var request, let remaining):
                let available = min(remaining, buffer.count - index)
                request.body.append(contentsOf: buffer[index..<(index + available)])
                index += available
                if available == remaining {
                    state = .head
                    return request
                }
                state = .fixedBody(request, remaining: remaining - available)
                return nil
            case .chunkSize(let request):
                guard let line = takeLine(limit: 1024) else { return nil }
                let sizeText = line.split(separator: UInt8(ascii: ";"), maxSplits: 1).first ?? []
                guard !sizeText.isEmpty, sizeText.count <= 8,
                      let size = Int(String(decoding: sizeText, as: UTF8.self).trimmingSpaces, radix: 16), size >= 0 else {
                    throw HTTPParseError(400, "malformed chunk size")
                }
                if size == 0 {
                    state = .trailers(request)
                } else {
                    guard request.body.count + size <= currentLimit else { throw HTTPParseError(413, "request body too large") }
                    state = .chunkData(request, remaining: size)
                }
            case .chunkData(var request, let remaining):
                let available = min(remaining, buffer.count - index)
                request.body.append(contentsOf: buffer[index..<(index + available)])
                index += available
                if available < remaining {
                    state = .chunkData(request, remaining: remaining - available)
                    return nil
                }
                state = .chunkDataEnd(request)
            case .chunkDataEnd(let request):
                guard buffer.count - index >= 2 else { return nil }
                guard buffer[index] == 13, buffer[index + 1] == 10 else { throw HTTPParseError(400, "malformed chunk") }
                index += 2
                state = .chunkSize(request)
            case .trailers(let request):
                guard let line = takeLine(limit: maxHeaderBytes) else { return nil }
                if line.isEmpty {
                    state = .head
                    return request
                }
            }
        }
    }

    private enum Framing { case none, length(Int), chunked }

    private func findHeadEnd() -> Int? {
        guard buffer.count - index >= 4 else { return nil }
        return buffer.withUnsafeBufferPointer { buffer in
            var i = index
            let last = buffer.count - 4
            while i <= last {
                if buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 { return i }
                i += 1
            }
            return nil
        }
    }

    private mutating func takeLine(limit: Int) -> [UInt8]? {
        var i = index
        while i + 1 < buffer.count {
            if buffer[i] == 13 && buffer[i + 1] == 10 {
                let line = Array(buffer[index..<i])
                index = i + 2
                return line
            }
            i += 1
        }
        return nil
    }

    /// Parses the head in `range` of the buffer (without its final empty line) and picks the body's framing.
    private mutating func parseHead(_ range: Range<Int>) throws(HTTPParseError) -> (HTTPRequest, Framing) {
        let (request, contentLengths) = try buffer.withUnsafeBufferPointer { buffer in
            Result { () throws(HTTPParseError) in try Self.parseHead(UnsafeBufferPointer(rebasing: buffer[range])) }
        }.get()
        currentLimit = bodyLimit(request.method, request.path)
        let transferEncoding = request.headers["transfer-encoding"]
        if transferEncoding != nil && !contentLengths.isEmpty {
            throw HTTPParseError(400, "both Content-Length and Transfer-Encoding: ambiguous framing")
        }
        if transferEncoding != nil && request.isHTTP10 {
            // HTTP/1.0 has no Transfer-Encoding (RFC 9112 6.1: its framing is faulty); refused, never guessed.
            throw HTTPParseError(400, "Transfer-Encoding is not allowed in an HTTP/1.0 request; send Content-Length")
        }
        if let transferEncoding {
            guard transferEncoding.lowercased() == "chunked" else { throw HTTPParseError(501, "unsupported transfer encoding") }
            return (request, .chunked)
        }
        if !contentLengths.isEmpty {
            let length = try HTTPRequestParser.contentLength(contentLengths)
            guard length <= currentLimit else { throw HTTPParseError(413, "request body too large") }
            return (request, .length(length))
        }
        return (request, .none)
    }

    /// The request of `head` (request line and header lines, CRLF-separated) and its Content-Length
    /// values, read on the bytes. Line ends must be CRLF and NUL is refused anywhere, checked first.
    private static func parseHead(_ head: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> (HTTPRequest, [String]) {
        var index = 0
        while index < head.count {
            switch head[index] {
            case 13:
                guard index + 1 < head.count, head[index + 1] == 10 else { throw HTTPParseError(400, "bare CR in request head") }
                index += 2
            case 10: throw HTTPParseError(400, "bare LF in request head")
            case 0: throw HTTPParseError(400, "NUL in request head")
            default: index += 1
            }
        }
        // Every CR now starts a CRLF.
        var request: HTTPRequest?
        var headers: [String: String] = [:]
        var contentLengths: [String] = []
        var lineStart = 0
        while true {
            let lineEnd = head[lineStart...].firstIndex(of: 13) ?? head.count
            let atEnd = lineEnd == head.count
            let line = UnsafeBufferPointer(rebasing: head[lineStart..<lineEnd])
            if request == nil {
                request = try requestLine(line)
            } else if let first = line.first {
                if first == 32 || first == 9 { throw HTTPParseError(400, "obsolete header folding") }
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw HTTPParseError(400, "malformed header") }
                let nameBytes = UnsafeBufferPointer(rebasing: line[..<colon])
                guard !nameBytes.isEmpty, nameBytes.allSatisfy(HTTPRequestParser.isTokenByte) else {
                    throw HTTPParseError(400, "malformed header name")
                }
                let name = HTTPRequestParser.lowercasedName(nameBytes)
                var valueStart = colon + 1
                var valueEnd = line.count
                while valueStart < valueEnd, line[valueStart] == 32 || line[valueStart] == 9 { valueStart += 1 }
                while valueEnd > valueStart, line[valueEnd - 1] == 32 || line[valueEnd - 1] == 9 { valueEnd -= 1 }
                let value = String(decoding: UnsafeBufferPointer(rebasing: line[valueStart..<valueEnd]), as: UTF8.self)
                if name == "content-length" { contentLengths.append(value) }
                if let existing = headers[name] { headers[name] = existing + ", " + value } else { headers[name] = value }
            }
            if atEnd { break }
            lineStart = lineEnd + 2
        }
        guard var request else { throw HTTPParseError(400, "malformed request line") }
        request.headers = headers
        return (request, contentLengths)
    }

    /// `METHOD SP TARGET SP VERSION` (single spaces): the request without headers.
    private static func requestLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPRequest {
        let space = UInt8(ascii: " ")
        guard let firstSpace = line.firstIndex(of: space),
              let secondSpace = line[(firstSpace + 1)...].firstIndex(of: space),
              !line[(secondSpace + 1)...].contains(space)
        else { throw HTTPParseError(400, "malformed request line") }
        let methodBytes = UnsafeBufferPointer(rebasing: line[..<firstSpace])
        guard !methodBytes.isEmpty, methodBytes.allSatisfy({ $0 >= 65 && $0 <= 90 }) else { throw HTTPParseError(400, "malformed method") }
        let target = UnsafeBufferPointer(rebasing: line[(firstSpace + 1)..<secondSpace])
        guard target.first == UInt8(ascii: "/"), !target.contains(where: { $0 <= 32 || $0 >= 127 }) else {
            throw HTTPParseError(400, "malformed request target")
        }
        let version = line[(secondSpace + 1)...]
        guard version.elementsEqual("HTTP/1.1".utf8) || version.elementsEqual("HTTP/1.0".utf8) else {
            throw HTTPParseError(505, "unsupported HTTP version")
        }
        let method = String(decoding: methodBytes, as: UTF8.self)
        var request: HTTPRequest
        if let mark = target.firstIndex(of: UInt8(ascii: "?")) {
            request = HTTPRequest(method: method, path: String(decoding: UnsafeBufferPointer(rebasing: target[..<mark]), as: UTF8.self),
                                  query: String(decoding: UnsafeBufferPointer(rebasing: target[(mark + 1)...]), as: UTF8.self))
        } else {
            request = HTTPRequest(method: method, path: String(decoding: target, as: UTF8.self))
        }
        request.isHTTP10 = version.elementsEqual("HTTP/1.0".utf8)
        return request
    }

    /// The one length that every Content-Length header (and every comma-separated element of one)
    /// agrees on: at most 12 ASCII digits each, spaces and tabs around them allowed (RFC 9110 8.6).
    private static func contentLength(_ values: [String]) throws(HTTPParseError) -> Int {
        var agreed: Int?
        for value in values {
            for element in value.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
                var digits = element[...]
                while let first = digits.first, first == 32 || first == 9 { digits = digits.dropFirst() }
                while let last = digits.last, last == 32 || last == 9 { digits = digits.dropLast() }
                guard !digits.isEmpty, digits.count <= 12 else { throw HTTPParseError(400, "malformed Content-Length") }
                var length = 0
                for byte in digits {
                    guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw HTTPParseError(400, "malformed Content-Length") }
                    length = length * 10 + Int(byte - UInt8(ascii: "0"))
                }
                if let agreed, agreed != length { throw HTTPParseError(400, "malformed Content-Length") }
                agreed = length
            }
        }
        guard let agreed else { throw HTTPParseError(400, "malformed Content-Length") }
        return agreed
    }

    /// A header name in lower case, converted on the bytes (names are ASCII tokens, already checked).
    private static func lowercasedName(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { buffer in
            for (offset, byte) in bytes.enumerated() {
                buffer[offset] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            }
            return bytes.count
        }
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
