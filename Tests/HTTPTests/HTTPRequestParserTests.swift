import HTTP
import Testing

/// The gateway's HTTP/1.1 request parser: framing, limits and the malformed shapes it refuses.
@Suite struct HTTPRequestParserTests {
    /// Every request parsed from `text` fed in chunks of `chunk` bytes, or the error that stopped it.
    private func parse(_ text: String, chunk: Int = .max, maxBodyBytes: Int = 1 << 20) -> ([HTTPRequest], HTTPParseError?) {
        var parser = HTTPRequestParser(maxHeaderBytes: 1024, maxBodyBytes: maxBodyBytes)
        let bytes = Array(text.utf8)
        var requests: [HTTPRequest] = []
        var start = 0
        do {
            while start < bytes.count {
                let end = min(bytes.count, start + chunk)
                bytes[start..<end].withUnsafeBytes { parser.append($0) }
                start = end
                while let request = try parser.next() { requests.append(request) }
            }
        } catch {
            return (requests, error)
        }
        return (requests, nil)
    }

    private func status(_ text: String, maxBodyBytes: Int = 1 << 20) -> Int? {
        parse(text, maxBodyBytes: maxBodyBytes).1?.status
    }

    @Test func pipelinedRequestsParseTheSameAtEverySplit() throws {
        let text = "POST /api/v1/tickets/NP-1/recommendations?x=1 HTTP/1.1\r\nHost: a\r\nContent-TYPE: application/json\r\n"
            + "Content-Length: 7\r\nX-Dup: one\r\nx-dup: two\r\n\r\n{\"a\":1}"
            + "GET /livez HTTP/1.1\r\nHost: a\r\n\r\n"
            + "PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n"
        for chunk in 1...text.utf8.count {
            let (requests, error) = parse(text, chunk: chunk)
            #expect(error == nil, "chunk \(chunk)")
            guard requests.count == 3 else {
                Issue.record("chunk \(chunk): \(requests.count) requests")
                continue
            }
            #expect(requests[0].method == "POST")
            #expect(requests[0].path == "/api/v1/tickets/NP-1/recommendations")
            #expect(requests[0].query == "x=1")
            #expect(requests[0].headers["content-type"] == "application/json")
            #expect(requests[0].headers["x-dup"] == "one, two")
            #expect(requests[0].body == Array("{\"a\":1}".utf8))
            #expect(requests[1].method == "GET" && requests[1].path == "/livez" && requests[1].body.isEmpty)
            #expect(requests[2].body == Array("abcde".utf8))
        }
    }

    @Test func contentLengthListsAndSpacesAreAcceptedWhenTheyAgree() {
        for header in ["Content-Length: 3", "Content-Length:3", "Content-Length:  3 \t", "Content-Length: 3, 3",
                       "Content-Length: 3\r\nContent-Length: 3", "Content-Length: 003"] {
            let (requests, error) = parse("POST / HTTP/1.1\r\n\(header)\r\n\r\nabc")
            #expect(error == nil, "\(header)")
            #expect(requests.first?.body == Array("abc".utf8), "\(header)")
        }
    }

    @Test func malformedContentLengthsAreRefused() {
        for header in ["Content-Length: 3, 4", "Content-Length: 3\r\nContent-Length: 4", "Content-Length: -3", "Content-Length: +3",
                       "Content-Length: 3a", "Content-Length: ", "Content-Length: 3,", "Content-Length: 1 2",
                       "Content-Length: 1234567890123", "Content-Length: 0x10"] {
            #expect(status("POST / HTTP/1.1\r\n\(header)\r\n\r\nabc") == 400, "\(header)")
        }
        #expect(status("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", maxBodyBytes: 10) == 413)
    }

    @Test func ambiguousOrObsoleteFramingIsRefused() {
        #expect(status("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc") == 400)
        #expect(status("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n") == 501)
        #expect(status("GET / HTTP/1.1\r\nX-A: 1\r\n folded\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\nHost: a\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHo st: a\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost a\r\n\r\n") == 400)
        #expect(status("get / HTTP/1.1\r\n\r\n") == 400)
        #expect(status("GET nopath HTTP/1.1\r\n\r\n") == 400)
        #expect(status("GET / HTTP/2.0\r\n\r\n") == 505)
        #expect(status("GET / HTTP/1.1\r\nX-Big: \(String(repeating: "a", count: 2000))\r\n\r\n") == 431)
    }
}
