import Foundation
import Harness
import Observability
import Posix
import Testing
import TestSupport
import Wire
@testable import RPC

/// The RPC layer over real Unix sockets, server and client in this process.
@Suite struct RPCServerClientTests {
    @Test func typedCallRoundTrips() async throws {
        let served = try ServedTestContract()
        defer { served.close() }
        let client = served.client
        let response = try await client.call(TestContract.add, .init(a: 40, b: 2))
        #expect(response.sum == 42)
        let health = try await client.call(StandardMethods.health, HealthCheckRequest())
        #expect(health.status == .serving)
        let info = try await client.call(StandardMethods.info, InfoRequest())
        #expect(info.service == "test" && info.pid == getpid())
    }

    @Test func thousandConcurrentCallsAreEachAnsweredCorrectly() async throws {
        let served = try ServedTestContract(connectionsPerInstance: 2)
        defer { served.close() }
        let client = served.client
        let results = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for i in 0..<1000 {
                group.addTask { (i, try await client.call(TestContract.add, .init(a: i, b: i * 1000), timeout: 30).sum) }
            }
            var results: [Int: Int] = [:]
            for try await (i, sum) in group { results[i] = sum }
            return results
        }
        #expect(results.count == 1000)
        #expect(results.allSatisfy { $0.value == $0.key * 1001 })
    }

    @Test func deadlineExceededIsReportedAndTheHandlerCancelled() async throws {
        let counter = CancellationCounter()
        let served = try ServedTestContract(counter: counter)
        defer { served.close() }
        let (server, client) = (served.server, served.client)
        // The handler would answer after 5 s; DEADLINE_EXCEEDED proves the call did not wait for it.
        await #expect(throws: RPCError(.deadlineExceeded, "deadline exceeded")) {
            _ = try await client.call(TestContract.sleep, .init(milliseconds: 5000), timeout: 0.2)
        }
        try await eventually { counter.value == 1 }
        try await eventually { server.inFlightCalls == 0 }
        // The connection stays usable.
        #expect(try await client.call(TestContract.add, .init(a: 2, b: 3)).sum == 5)
    }

    @Test func serverEnforcesTheDeadlineItReceives() async throws {
        // The deadline travels with the call: the server answers DEADLINE_EXCEEDED on its own.
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let counter = CancellationCounter()
        let server = try startTestServer(dir.file("a.sock"), counter: counter)
        defer { server.stop() }
        let connection = try ClientConnection(path: dir.file("a.sock"), maxFrameSize: 4 << 20)
        let frame = try EnvelopeFormat.requestFrame(method: TestContract.sleep.fullName, metadata: Metadata(), maxFrameSize: 4 << 20) {
            try defaultMessageCodec.encode(TestContract.SleepRequest(milliseconds: 5000), appendingTo: &$0)
        }
        // The client-side timer is far away; only the server's can fire.
        let task = Task {
            var frame = frame
            return try await connection.call(frame: &frame, deadline: Deadline.after(seconds: 0.15))
        }
        await #expect(throws: RPCError.self) { _ = try await task.value }
        try await eventually { counter.value == 1 }
        connection.close()
    }

    @Test func cancellingTheCallerCancelsTheHandler() async throws {
        let counter = CancellationCounter()
        let served = try ServedTestContract(counter: counter)
        defer { served.close() }
        let client = served.client
        let task = Task { try await client.call(TestContract.sleep, .init(milliseconds: 10_000), timeout: 30) }
        try await Task.sleep(nanoseconds: 100_000_000)
        task.cancel()
        await #expect(throws: RPCError(.cancelled, "call cancelled")) { _ = try await task.value }
        try await eventually { counter.value == 1 }
        // The connection stays usable.
        #expect(try await client.call(TestContract.add, .init(a: 1, b: 1)).sum == 2)
    }

    @Test func unknownMethodIsUnimplemented() async throws {
        let served = try ServedTestContract()
        defer { served.close() }
        let client = served.client
        await #expect(throws: RPCError(.unimplemented, "unknown method test.v1/Missing")) {
            _ = try await client.call(TestContract.missing, .init())
        }
    }

    @Test func undecodableBodyIsInvalidArgumentNamingTheField() async throws {
        let served = try ServedTestContract()
        defer { served.close() }
        let client = served.client
        struct WrongAdd: Codable, Sendable { var b: Int }
        let wrong = MethodDescriptor<WrongAdd, TestContract.AddResponse>(service: "test.v1", method: "Add")
        do {
            _ = try await client.call(wrong, .init(b: 1))
            Issue.record("expected INVALID_ARGUMENT")
        } catch let error as RPCError {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("`a`"), "message names the field: \(error.message)")
        }
    }

    @Test func unexpectedHandlerErrorIsInternalAndTheServerKeepsServing() async throws {
        let served = try ServedTestContract()
        defer { served.close() }
        let client = served.client
        await #expect(throws: RPCError(.internalError, "internal error")) { _ = try await client.call(TestContract.crash, .init()) }
        await #expect(throws: RPCError(.internalError, "internal error")) { _ = try await client.call(TestContract.crashLater, .init()) }
        await #expect(throws: RPCError(.notFound, "no such ticket")) { _ = try await client.call(TestContract.notFound, .init()) }
        #expect(try await client.call(TestContract.add, .init(a: 2, b: 3)).sum == 5)
    }

    @Test func aSynchronousHandlerRunsWithoutATask() async throws {
        let served = try ServedTestContract()
        defer { served.close() }
        #expect(try await served.client.call(TestContract.taskless, .init()).sum == 1)
    }

    @Test func clientReconnectsAfterTheServerRestarts() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("a.sock")
        let first = try startTestServer(path)
        let client = RPCClient(service: "test", socketPaths: [path])
        defer { client.close() }
        #expect(try await client.call(TestContract.add, .init(a: 1, b: 2)).sum == 3)
        first.stop()
        // While it is down, a call with a short deadline fails UNAVAILABLE rather than hanging.
        await #expect(throws: RPCError.self) { _ = try await client.call(TestContract.add, .init(a: 1, b: 2), timeout: 0.2) }
        let second = try startTestServer(path)
        defer { second.stop() }
        #expect(try await client.call(TestContract.add, .init(a: 5, b: 6), timeout: 5).sum == 11)
    }

    @Test func callsSpreadOverInstancesAndSkipOneThatIsDown() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let paths = [dir.file("s-0.sock"), dir.file("s-1.sock")]
        let zero = try startTestServer(paths[0], instance: 0)
        let one = try startTestServer(paths[1], instance: 1)
        defer { zero.stop() }
        let client = RPCClient(service: "test", socketPaths: paths)
        defer { client.close() }
        var seen = Set<Int>()
        for _ in 0..<20 { seen.insert(try await client.call(StandardMethods.info, InfoRequest()).instance) }
        #expect(seen == [0, 1])
        one.stop()
        for _ in 0..<20 {
            #expect(try await client.call(StandardMethods.info, InfoRequest(), timeout: 2).instance == 0)
        }
    }

    @Test func drainingFinishesInFlightCallsAndRefusesNewOnes() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let gate = Gate()
        let server = try startTestServer(dir.file("a.sock"), gate: gate)
        let client = RPCClient(service: "test", socketPaths: [dir.file("a.sock")])
        defer { client.close() }
        // In flight until the gate opens, however busy the machine.
        let inFlight = Task { try await client.call(TestContract.hold, .init(), timeout: 60) }
        try await eventually { server.inFlightCalls == 1 }
        let draining = Task { await server.drain(grace: 60) }
        try await eventually { server.isDraining }
        #expect(try await client.call(StandardMethods.health, HealthCheckRequest()).status == .notServing)
        do {
            // Refused unrun, then retried until the deadline, which ends in the refusal's status (long enough that even
            // a busy machine gets the refusal in before it).
            _ = try await client.call(TestContract.add, .init(a: 1, b: 1), timeout: 2)
            Issue.record("a new call during draining must fail")
        } catch let error as RPCError {
            #expect(error.code == .unavailable)
        }
        // Draining waits for the call in flight, which then completes normally.
        try await Task.sleep(for: .milliseconds(100))
        #expect(server.isDraining && server.inFlightCalls == 1)
        gate.open()
        #expect(try await inFlight.value == TestContract.Empty())
        await draining.value
        #expect(!FileManager.default.fileExists(atPath: dir.file("a.sock")))
    }

    @Test func oversizedFrameGetsResourceExhaustedAndTheConnectionCloses() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let server = try startTestServer(dir.file("a.sock"))
        defer { server.stop() }
        let fd = try Socket.connectUnix(path: dir.file("a.sock"))
        defer { fd.close() }
        try Socket.sendAll(fd, [0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3])
        var decoder = FrameDecoder()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var frames: [[UInt8]] = []
        while true {
            let count = try buffer.withUnsafeMutableBytes { try fd.read(into: $0) }
            if count == 0 { break }
            decoder.append(contentsOf: buffer[0..<count])
            while let frame = try decoder.nextFrame() { frames.append(frame) }
        }
        #expect(frames.count == 1)
        let envelope = try #require(EnvelopeFormat.decode(frames[0]))
        #expect(envelope.status == RPCError.Code.resourceExhausted.rawValue)
        // The server is unharmed.
        let client = RPCClient(service: "test", socketPaths: [dir.file("a.sock")])
        defer { client.close() }
        #expect(try await client.call(TestContract.add, .init(a: 1, b: 1)).sum == 2)
    }

    @Test func clientRefusesToSendAFrameOverTheLimit() async throws {
        let served = try ServedTestContract(maxFrameSize: 2048)
        defer { served.close() }
        let client = served.client
        var message = EchoMessage.sample(descriptionBytes: 4096)
        message.title = "big"
        do {
            _ = try await client.call(StandardMethods.echo, message)
            Issue.record("expected RESOURCE_EXHAUSTED")
        } catch let error as RPCError {
            #expect(error.code == .resourceExhausted)
        }
    }

    @Test func staleSocketIsReplacedAndALiveOneRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("a.sock")
        // A socket file nobody listens on, as a crash leaves behind.
        let stale = try Socket.listenUnix(path: path)
        stale.close()
        #expect(FileManager.default.fileExists(atPath: path))
        let server = try startTestServer(path)
        defer { server.stop() }
        #expect(throws: SocketFile.AlreadyRunning.self) { _ = try startTestServer(path) }
    }
}

/// Polls `condition` until it holds or `timeout` passes (a bound on the wait, not on speed: a full run on
/// two cores can hold the test process's threads for half a minute).
func eventually(timeout: Double = 120, _ condition: @Sendable () -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        if Date() > deadline {
            Issue.record("condition not met within \(timeout) s")
            return
        }
        try await Task.sleep(nanoseconds: 10_000_000)
    }
}
