import Foundation
import HTTP
import Observability
import Posix
import Testing

/// One client address cannot hold every connection; reverse proxies (exempt) can.
@Suite struct HTTPServerConnectionLimitTests {
    private func server(perClient: Int, exempt: Bool) throws -> (HTTPServer, UInt16) {
        var limits = HTTPServer.Limits()
        limits.maxConnectionsPerClient = perClient
        if exempt { limits.isExemptClient = { $0 == "127.0.0.1" } }
        let server = HTTPServer(limits: limits, logger: Logger(label: "test", sink: .discard)) { _ in
            HTTPResponse(status: 200, headers: [("Content-Type", "text/plain")], body: Array("ok".utf8))
        }
        return (server, try server.start(host: "127.0.0.1", port: 0))
    }

    /// The status line of the answer to a GET on a new connection (blocking reads, with a timeout).
    private func get(_ fd: FileDescriptor) throws -> String {
        try Socket.setReceiveTimeout(fd, milliseconds: 5_000)
        try Socket.sendAll(fd, Array("GET / HTTP/1.1\r\nHost: t\r\n\r\n".utf8))
        var answer: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
        defer { chunk.deallocate() }
        while !answer.contains(10) {
            let count = try fd.read(into: chunk)
            if count == 0 { break }
            answer += chunk[0..<count]
        }
        return String(decoding: answer.prefix { $0 != 13 }, as: UTF8.self)
    }

    @Test func aClientOverItsCapIsRefusedUntilOneOfItsConnectionsCloses() throws {
        let (server, port) = try server(perClient: 2, exempt: false)
        defer { server.stop() }
        let first = try Socket.connectTCP(host: "127.0.0.1", port: port)
        let second = try Socket.connectTCP(host: "127.0.0.1", port: port)
        #expect(try get(first) == "HTTP/1.1 200 OK")
        #expect(try get(second) == "HTTP/1.1 200 OK")
        let third = try Socket.connectTCP(host: "127.0.0.1", port: port)
        #expect(try get(third) == "HTTP/1.1 503 Service Unavailable")
        third.close()
        first.close()
        // The server notices the close on its connection thread; a new connection is admitted then.
        var status = ""
        for _ in 0..<100 {
            let again = try Socket.connectTCP(host: "127.0.0.1", port: port)
            status = try get(again)
            again.close()
            if status == "HTTP/1.1 200 OK" { break }
            usleep(20_000)
        }
        #expect(status == "HTTP/1.1 200 OK")
        second.close()
    }

    @Test func exemptClientsAreNotCapped() throws {
        let (server, port) = try server(perClient: 1, exempt: true)
        defer { server.stop() }
        let connections = try (0..<3).map { _ in try Socket.connectTCP(host: "127.0.0.1", port: port) }
        for connection in connections { #expect(try get(connection) == "HTTP/1.1 200 OK") }
        for connection in connections { connection.close() }
    }
}
