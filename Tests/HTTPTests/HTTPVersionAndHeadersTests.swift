import Foundation
import HTTP
import Observability
import Posix
import Testing

/// HTTP/1.0 requests (no keep-alive unless asked for, no Transfer-Encoding) and the headers every
/// response carries.
@Suite struct HTTPVersionAndHeadersTests {
    private func parse(_ text: String) -> Result<[HTTPRequest], HTTPParseError> {
        var parser = HTTPRequestParser()
        Array(text.utf8).withUnsafeBytes { parser.append($0) }
        var requests: [HTTPRequest] = []
        do {
            while let request = try parser.next() { requests.append(request) }
        } catch {
            return .failure(error)
        }
        return .success(requests)
    }

    @Test func http10KeepsTheConnectionOnlyWhenAskedTo() throws {
        let cases: [(String, Bool, Bool)] = [
            ("GET / HTTP/1.0\r\n\r\n", true, false),
            ("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true, true),
            ("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true, true),
            ("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", true, false),
            ("GET / HTTP/1.1\r\n\r\n", false, true),
            ("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", false, false),
            ("GET / HTTP/1.1\r\nConnection: TE, Close\r\n\r\n", false, false),
            ("GET / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n", false, true),
        ]
        for (text, isHTTP10, keepsAlive) in cases {
            let request = try #require(try parse(text).get().first, "\(text)")
            #expect(request.isHTTP10 == isHTTP10, "\(text)")
            #expect(request.keepsAlive == keepsAlive, "\(text)")
        }
    }

    @Test func http10RequestsWithTransferEncodingAreRefused() {
        for text in ["POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                     "POST / HTTP/1.0\r\nTransfer-Encoding: gzip\r\n\r\n",
                     "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc"] {
            guard case .failure(let error) = parse(text) else {
                Issue.record("accepted: \(text)")
                continue
            }
            #expect(error.status == 400, "\(text)")
        }
        // The same body with a length is fine, and chunked bodies are fine in HTTP/1.1.
        #expect((try? parse("POST / HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc").get().first?.body) == Array("abc".utf8))
        #expect((try? parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n").get().first?.body) == Array("abc".utf8))
    }

    @Test func everyResponseSaysNosniffOnce() {
        let plain = String(decoding: HTTPResponse.error(404, code: "NOT_FOUND", message: "x").serialized(keepAlive: true), as: UTF8.self)
        #expect(plain.contains("\r\nX-Content-Type-Options: nosniff\r\n"))
        #expect(!plain.contains("Connection:"))
        // A handler that set it already is not repeated.
        let own = HTTPResponse(status: 200, headers: [("x-content-type-options", "nosniff")], body: [])
        let text = String(decoding: own.serialized(keepAlive: false, announceKeepAlive: false), as: UTF8.self)
        #expect(text.lowercased().components(separatedBy: "x-content-type-options").count == 2, "\(text)")
        #expect(text.contains("Connection: close\r\n"))
        let announced = String(decoding: HTTPResponse(status: 204).serialized(keepAlive: true, announceKeepAlive: true), as: UTF8.self)
        #expect(announced.contains("Connection: keep-alive\r\n"))
    }

    /// Over a real connection: an HTTP/1.0 request is answered and the connection closed; with
    /// `Connection: keep-alive` it stays open for a second request; a 400 from the parser says nosniff too.
    @Test func anHTTP10ConnectionIsClosedAfterTheAnswer() throws {
        let server = HTTPServer(logger: Logger(label: "test", sink: .discard)) { _ in
            HTTPResponse(status: 200, headers: [("Content-Type", "text/plain")], body: Array("ok".utf8))
        }
        let port = try server.start(host: "127.0.0.1", port: 0)
        defer { server.stop() }

        /// Everything received until the server closes, or until 3 s pass (then `closed` is false).
        func exchange(_ fd: FileDescriptor, _ text: String) throws -> (answer: String, closed: Bool) {
            try Socket.setReceiveTimeout(fd, milliseconds: 3_000)
            try Socket.sendAll(fd, Array(text.utf8))
            var answer: [UInt8] = []
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
            defer { chunk.deallocate() }
            while true {
                guard let count = try? fd.read(into: chunk) else { return (String(decoding: answer, as: UTF8.self), false) }
                if count == 0 { return (String(decoding: answer, as: UTF8.self), true) }
                answer += chunk[0..<count]
                // A kept connection: stop once the whole answer (2-byte body) is in.
                if String(decoding: answer, as: UTF8.self).hasSuffix("\r\n\r\nok"), text.contains("keep-alive") {
                    return (String(decoding: answer, as: UTF8.self), false)
                }
            }
        }

        let plain = try Socket.connectTCP(host: "127.0.0.1", port: port)
        defer { plain.close() }
        let (answer, closed) = try exchange(plain, "GET / HTTP/1.0\r\nHost: t\r\n\r\n")
        #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n") && answer.contains("Connection: close\r\n"), "\(answer)")
        #expect(answer.contains("X-Content-Type-Options: nosniff\r\n"))
        #expect(closed, "the server closed the HTTP/1.0 connection")

        let kept = try Socket.connectTCP(host: "127.0.0.1", port: port)
        defer { kept.close() }
        let first = try exchange(kept, "GET / HTTP/1.0\r\nHost: t\r\nConnection: keep-alive\r\n\r\n")
        #expect(first.answer.contains("Connection: keep-alive\r\n") && !first.closed, "\(first.answer)")
        let second = try exchange(kept, "GET / HTTP/1.0\r\nHost: t\r\nConnection: keep-alive\r\n\r\n")
        #expect(second.answer.hasPrefix("HTTP/1.1 200 OK\r\n"), "the kept connection answered again: \(second.answer)")

        let chunked = try Socket.connectTCP(host: "127.0.0.1", port: port)
        defer { chunked.close() }
        let refused = try exchange(chunked, "POST / HTTP/1.0\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
        #expect(refused.answer.hasPrefix("HTTP/1.1 400 Bad Request\r\n") && refused.closed, "\(refused.answer)")
        #expect(refused.answer.contains("X-Content-Type-Options: nosniff\r\n"))
    }
}
