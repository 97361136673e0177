import Contracts
import Foundation
import Harness
import RPC

import Testing

/// Hostile input against the real executables: slow clients, oversized and malformed frames on every
/// service socket, path traversal and SQL metacharacters in every id of the API. Nothing crashes or
/// restarts, nothing answers 500, no other tenant's data shows.
@Suite(.serialized) struct HostileInputTests {
    static let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy/demo/tickets.jsonl").path

    static func token(_ system: RunningSystem, tenant: String, role: String = "admin") async throws -> String {
        let result = try await ProcessRunner.run(Executables.path("smart-ticket"), [
            "token", "create", "--data-dir", system.directory.file("data"), "--tenant", tenant, "--subject", "mallory",
            "--role", role, "--ttl", "1h"])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func port(_ system: RunningSystem) throws -> UInt16 {
        let url = try #require(system.url)
        return try #require(UInt16(url.split(separator: ":").last!.trimmingCharacters(in: CharacterSet(charactersIn: "/"))))
    }

    /// Every instance's pid and restart count, to prove nothing died.
    static func pids(_ system: RunningSystem) async throws -> [String: Int32] {
        let status = try await system.status(timeout: 5)
        #expect(status.instances.allSatisfy { $0.restarts == 0 }, "\(status.instances.map { ($0.service.rawValue, $0.restarts) })")
        return Dictionary(uniqueKeysWithValues: status.instances.map { ("\($0.service.rawValue)-\($0.instance)", $0.pid ?? -1) })
    }

    @Test func idFieldsWithTraversalAndSQLMetacharactersAreRefusedCleanly() async throws {
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-data", Self.demo])
        defer { system.directory.remove() }
        let port = try Self.port(system)
        let admin = try await Self.token(system, tenant: "demo")
        let outsider = try await Self.token(system, tenant: "other")
        let before = try await Self.pids(system)
        let (_, listBefore) = try await offPool { try RawSocket.http(port: port, method: "GET", target: "/api/v1/tickets?project=ZK&limit=1000", token: admin) }

        let hostile = [
            "..%2F..%2F..%2Fetc%2Fpasswd", "../../etc/passwd", "%2e%2e%2f%2e%2e%2fdata", "..", "%2e%2e", ".%00.",
            "ZK-1'%20OR%20'1'%3D'1", "ZK-1%27--", "ZK-1%22%3B%20DROP%20TABLE%20tickets%3B--", "%25", "%00", "*", "%2A",
            "ZK-1%3B%20DELETE%20FROM%20tenants", "%5C..%5C..%5Cwindows", String(repeating: "A", count: 4000), "%FF%FE", "ZK-1%0D%0AX-Injected:%201",
        ]
        let templates: [(String, String, String)] = [
            ("GET", "/api/v1/tickets/{}", ""), ("PATCH", "/api/v1/tickets/{}", #"{"title":"x"}"#),
            ("POST", "/api/v1/tickets/{}/recommendations", "{}"), ("POST", "/api/v1/tickets/{}/assignment", #"{"assignee":"' OR 1=1 --"}"#),
            ("GET", "/api/v1/tickets/{}/decisions", ""), ("GET", "/api/v1/people/{}", ""), ("PATCH", "/api/v1/people/{}", #"{"capacity":1}"#),
            ("GET", "/api/v1/projects/{}/settings", ""), ("PUT", "/api/v1/projects/{}/settings", "{}"),
            ("GET", "/api/v1/projects/{}/decisions", ""), ("PUT", "/api/v1/projects/{}/roles/{}", #"{"role":"viewer"}"#),
            ("DELETE", "/api/v1/projects/{}/roles/{}", ""), ("GET", "/api/v1/tickets?project={}", ""), ("GET", "/api/v1/people?cursor={}", ""),
            ("GET", "/api/v1/tickets?cursor={}", ""), ("GET", "/api/v1/metrics?project={}", ""),
        ]
        var tried = 0
        var statuses: [Int: Int] = [:]
        for value in hostile {
            for (method, template, body) in templates {
                let target = template.replacingOccurrences(of: "{}", with: value)
                for token in [admin, outsider] {
                    let (status, text) = try await offPool { try RawSocket.http(port: port, method: method, target: target, token: token, body: body) }
                    tried += 1
                    statuses[status, default: 0] += 1
                    #expect(status != 0 && status < 500, "\(method) \(target.prefix(120)) -> \(status) \(text.prefix(200))")
                    #expect(!text.contains("root:x:0"), "\(target)")
                    if status >= 400 { #expect(text.contains(#""error""#), "\(method) \(target.prefix(80)): \(text.prefix(200))") }
                    if token == outsider { #expect(!text.contains("ZK-"), "another tenant's data: \(method) \(target.prefix(80)): \(text.prefix(200))") }
                }
            }
        }
        // Nothing was changed or dropped by the attempts, and nothing restarted.
        let (_, listAfter) = try await offPool { try RawSocket.http(port: port, method: "GET", target: "/api/v1/tickets?project=ZK&limit=1000", token: admin) }
        #expect(listAfter == listBefore)
        #expect(try await Self.pids(system) == before)
        print("hostile ids: \(tried) requests, statuses \(statuses.sorted { $0.key < $1.key }), 0 crashes, 0 restarts")
        await system.stop()
    }

    @Test func slowClientsAreDroppedWithoutHurtingOthers() async throws {
        let system = try await RunningSystem()
        defer { system.directory.remove() }
        let port = try Self.port(system)
        let slowCount = 40
        // Slowloris: every connection starts a request head and trickles a byte every 300 ms, forever.
        let slow = Task {
            try await withThrowingTaskGroup(of: (Bool, String).self) { group in
                for index in 0..<slowCount {
                    group.addTask {
                        try await offPool {
                            let socket = try RawSocket(tcpPort: port)
                            socket.setTimeout(1)
                            guard socket.send("GET /livez HTTP/1.1\r\nHost: slow\(index)\r\n") else { return (true, "") }
                            var received: [UInt8] = []
                            for _ in 0..<200 {
                                let (bytes, timedOut) = socket.readToEnd()
                                received += bytes
                                if !timedOut { return (true, String(decoding: received, as: UTF8.self)) }
                                guard socket.send("X-Slow: \(index)\r\n") else { return (true, String(decoding: received, as: UTF8.self)) }
                            }
                            return (false, "")
                        }
                    }
                }
                var results: [(Bool, String)] = []
                for try await result in group { results.append(result) }
                return results
            }
        }
        // Meanwhile ordinary requests are answered.
        var answered = 0
        for _ in 0..<20 {
            let (status, _) = try await offPool { try RawSocket.http(port: port, method: "GET", target: "/livez", token: nil) }
            if status == 200 { answered += 1 }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        #expect(answered == 20)
        let results = try await slow.value
        #expect(results.allSatisfy { $0.0 }, "every slow client was dropped")
        #expect(results.filter { $0.1.hasPrefix("HTTP/1.1 408") }.count == slowCount, "\(results.map { $0.1.prefix(20) })")
        _ = try await Self.pids(system)
        print("slowloris: \(slowCount) slow clients dropped with 408, \(answered)/20 ordinary requests answered meanwhile")
        await system.stop()
    }

    /// A request envelope (see EnvelopeFormat) for `method` with `body`.
    static func requestFrame(method: String, tenant: String?, body: [UInt8], id: UInt64 = 7) -> [UInt8] {
        var envelope: [UInt8] = [1]
        withUnsafeBytes(of: id.littleEndian) { envelope += $0 }
        withUnsafeBytes(of: UInt16(method.utf8.count).littleEndian) { envelope += $0 }
        envelope += Array(method.utf8)
        withUnsafeBytes(of: Int64(2_000_000).littleEndian) { envelope += $0 }
        if let tenant {
            envelope += [1, 1]
            withUnsafeBytes(of: UInt16(tenant.utf8.count).littleEndian) { envelope += $0 }
            envelope += Array(tenant.utf8)
        } else {
            envelope += [0]
        }
        envelope += body
        return frame(envelope)
    }

    static func frame(_ body: [UInt8]) -> [UInt8] {
        let length = UInt32(body.count)
        return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + body
    }

    @Test func oversizedAndMalformedFramesOnEveryServiceSocket() async throws {
        let system = try await RunningSystem()
        defer { system.directory.remove() }
        let before = try await Self.pids(system)
        var generator = SystemRandomNumberGenerator()
        func random(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        let sockets = ServiceKind.allCases.map { system.runDirectory.socket($0, instance: 0) } + [system.runDirectory.launcherSocket]
        let attacks: [(String, [UInt8])] = [
            ("declared 4 GiB", [0xFF, 0xFF, 0xFF, 0xF0] + random(64)),
            ("declared 64 MiB", [0x04, 0x00, 0x00, 0x00] + random(1024)),
            ("random frame body", Self.frame(random(200))),
            ("empty frame", Self.frame([])),
            ("method length past the end", Self.frame([1, 1, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0x41])),
            ("unknown kind", Self.frame([9] + random(40))),
            ("unknown method", Self.requestFrame(method: "storage.v1/DropEverything", tenant: "t", body: random(16))),
            ("garbage body for a real method", Self.requestFrame(method: "storage.v1/PutTickets", tenant: "t", body: random(300))),
            ("garbage body for the backup", Self.requestFrame(method: "storage.v1/Backup", tenant: nil, body: random(64))),
            ("traversal in tenant", Self.requestFrame(method: "storage.v1/GetTenant", tenant: "../../etc/passwd' OR 1=1", body: [])),
            ("garbage for skills", Self.requestFrame(method: "skills.v1/Detect", tenant: "t", body: random(500))),
            ("garbage for scoring", Self.requestFrame(method: "scoring.v1/Rank", tenant: "t", body: random(500))),
            ("truncated frame", Array(Self.frame(random(100)).prefix(50))),
            ("unframed noise", random(256 * 1024)),
        ]
        var sent = 0
        for path in sockets {
            for (name, bytes) in attacks {
                let outcome = try await offPool { () -> String in
                    let socket = try RawSocket(unixPath: path)
                    socket.setTimeout(5)
                    socket.send(bytes)
                    shutdown(socket.fd, Int32(SHUT_WR))
                    let (reply, timedOut) = socket.readToEnd()
                    return timedOut ? "no close after \(reply.count) bytes" : "closed after \(reply.count) bytes"
                }
                sent += 1
                #expect(outcome.hasPrefix("closed"), "\(path) \(name): \(outcome)")
            }
            // Still serving, on the same process.
            let client = RPCClient(service: "probe", socketPaths: [path], connectionsPerInstance: 1)
            let health = try await client.call(StandardMethods.health, .init(), timeout: 5)
            client.close()
            #expect(health.status == .serving, "\(path)")
        }
        #expect(try await Self.pids(system) == before)
        print("hostile frames: \(sent) connections with oversized/malformed frames to \(sockets.count) sockets, 0 crashes, 0 restarts")
        await system.stop()
    }
}
