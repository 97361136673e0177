import Contracts
import Foundation
import Harness
import Testing

/// Input hygiene over real HTTP against the real executables: ids with NUL, misspelt PATCH fields,
/// enum values that do not exist, `X-Content-Type-Options` on every answer, HTTP/1.0 connections,
/// and database files only their owner can read.
@Suite(.serialized) struct InputHygieneIntegrationTests {
    /// One exchange on a new connection: everything received until the server closes it, and
    /// whether it did close it within `timeout` seconds.
    static func exchange(port: UInt16, _ request: String, timeout: Int = 5) throws -> (text: String, closed: Bool) {
        let socket = try RawSocket(tcpPort: port)
        socket.setTimeout(timeout)
        socket.send(request)
        let (bytes, timedOut) = socket.readToEnd()
        return (String(decoding: bytes, as: UTF8.self), !timedOut)
    }

    static func request(_ method: String, _ target: String, token: String, body: String = "") -> String {
        "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: Bearer \(token)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    @Test func theGatewayRefusesBadIdsAndUnknownFieldsAndSaysNosniffOnEveryAnswer() async throws {
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-data", HostileInputTests.demo])
        defer { system.directory.remove() }
        let port = try HostileInputTests.port(system)
        let admin = try await HostileInputTests.token(system, tenant: "demo")

        // A NUL in the id is a 400 naming the parameter (it answered ZK-1), before and after the key.
        let (okStatus, okBody) = try await offPool { try RawSocket.http(port: port, method: "GET", target: "/api/v1/tickets/ZK-1", token: admin) }
        #expect(okStatus == 200 && okBody.contains(#""key":"ZK-1""#))
        for target in ["/api/v1/tickets/ZK-1%00x", "/api/v1/tickets/ZK-1%00", "/api/v1/tickets/ZK-1%0A", "/api/v1/tickets/%2E%2E"] {
            let (status, body) = try await offPool { try RawSocket.http(port: port, method: "GET", target: target, token: admin) }
            #expect(status == 400, "\(target): \(body)")
            #expect(body.contains(#""code":"INVALID_ARGUMENT""#) && body.contains("path parameter `key`"), "\(target): \(body)")
            #expect(!body.contains("ZK-1\""), "\(target) must not answer the ticket: \(body)")
        }

        // So are ids in the query.
        for (target, name) in [("/api/v1/tickets?project=ZK%00", "project"), ("/api/v1/tickets?project=ZK&assignee=a%0Ab", "assignee"),
                               ("/api/v1/people?cursor=%7F", "cursor")] {
            let (status, body) = try await offPool { try RawSocket.http(port: port, method: "GET", target: target, token: admin) }
            #expect(status == 400 && body.contains("query parameter `\(name)` must not contain control characters"), "\(target): \(body)")
        }

        // A misspelt PATCH field is a 400 naming it, and changes nothing.
        let (patchStatus, patchBody) = try await offPool {
            try RawSocket.http(port: port, method: "PATCH", target: "/api/v1/tickets/ZK-1", token: admin, body: #"{"titel":"Renamed"}"#)
        }
        #expect(patchStatus == 400, "\(patchBody)")
        #expect(patchBody.contains("unknown field `titel`; the fields are components, description, labels, priority, requiredSkills, status, storyPoints, title"),
                "\(patchBody)")
        let (_, afterBody) = try await offPool { try RawSocket.http(port: port, method: "GET", target: "/api/v1/tickets/ZK-1", token: admin) }
        #expect(afterBody == okBody, "the ticket did not change")
        let (settingsStatus, settingsBody) = try await offPool {
            try RawSocket.http(port: port, method: "PUT", target: "/api/v1/projects/ZK/settings", token: admin,
                               body: #"{"weights":{},"autoAssign":false,"confidenceThreshold":0.25,"staleDays":30,"candidatePool":"all","autoAsign":true}"#)
        }
        #expect(settingsStatus == 400 && settingsBody.contains("unknown field `autoAsign`"), "\(settingsBody)")

        // An enum value that does not exist names the ones that do.
        let (roleStatus, roleBody) = try await offPool {
            try RawSocket.http(port: port, method: "PUT", target: "/api/v1/projects/ZK/roles/bob", token: admin, body: #"{"role":"owner"}"#)
        }
        #expect(roleStatus == 400, "\(roleBody)")
        #expect(roleBody.contains("field `role`: must be one of admin, member, viewer"), "\(roleBody)")
        #expect(!roleBody.contains("Cannot initialize"))

        // nosniff on a 200, a 404, a 400 from the parser, the panel and the unauthenticated 401.
        let answers = try await offPool {
            [try Self.exchange(port: port, Self.request("GET", "/api/v1/tickets/ZK-1", token: admin)).text,
             try Self.exchange(port: port, Self.request("GET", "/api/v1/tickets/NOPE-404", token: admin)).text,
             try Self.exchange(port: port, Self.request("GET", "/nothing-here", token: admin)).text,
             try Self.exchange(port: port, "GET /livez HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n").text,
             try Self.exchange(port: port, "GET /api/v1/projects HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").text,
             try Self.exchange(port: port, "GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").text]
        }
        for (answer, status) in zip(answers, ["200", "404", "404", "400", "401", "200"]) {
            #expect(answer.hasPrefix("HTTP/1.1 \(status) "), "\(answer.prefix(200))")
            #expect(answer.contains("\r\nX-Content-Type-Options: nosniff\r\n"), "\(answer.prefix(400))")
        }

        // HTTP/1.0: the server closes the connection after the answer unless keep-alive is asked for,
        // and refuses Transfer-Encoding.
        let plain = try await offPool { try Self.exchange(port: port, "GET /livez HTTP/1.0\r\nHost: x\r\n\r\n") }
        #expect(plain.text.hasPrefix("HTTP/1.1 200 ") && plain.text.contains("Connection: close\r\n"), "\(plain.text)")
        #expect(plain.closed, "the HTTP/1.0 connection was closed by the server")
        let kept = try await offPool { try Self.exchange(port: port, "GET /livez HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n", timeout: 2) }
        #expect(kept.text.hasPrefix("HTTP/1.1 200 ") && kept.text.contains("Connection: keep-alive\r\n") && !kept.closed, "\(kept.text)")
        let chunked = try await offPool {
            try Self.exchange(port: port, "POST /api/v1/skills/detect HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
        }
        #expect(chunked.text.hasPrefix("HTTP/1.1 400 ") && chunked.closed, "\(chunked.text)")

        // The database and its WAL, created by the storage service, are readable by their owner only.
        let data = system.directory.file("data")
        let files = try FileManager.default.contentsOfDirectory(atPath: data).filter { $0.contains(".sqlite") }
        #expect(!files.isEmpty)
        for file in files {
            var info = stat()
            #expect(stat("\(data)/\(file)", &info) == 0)
            #expect(info.st_mode & 0o777 == 0o600, "\(file): \(String(info.st_mode & 0o777, radix: 8))")
        }
        await system.stop()
    }
}
