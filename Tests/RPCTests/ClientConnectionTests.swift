import Foundation
import Harness
import Observability
import Posix
import Testing
import TestSupport
import Wire
@testable import RPC

/// The client's connection life cycle: calls sent while another waits, a server going away
/// mid-call, and a closed client reconnecting (deadlines, cancellation and 1,000 calls in flight are
/// in RPCServerClientTests).
@Suite struct ClientConnectionTests {
    @Test
    func sequentialCallsAreEachAnsweredCorrectly() async throws {
        let served = try ServedTestContract()
        defer { served.close() }
        let client = served.client
        for i in 0..<300 {
            #expect(try await client.call(TestContract.add, .init(a: i, b: 7)).sum == i + 7)
        }
        await #expect(throws: RPCError.self) { _ = try await client.call(TestContract.notFound, .init()) }
        #expect(try await client.call(TestContract.add, .init(a: 1, b: 1)).sum == 2)
    }

    @Test
    func concurrentCallsWhileOneWaitsAreAnswered() async throws {
        // One connection: the slow call owns the socket (or has handed it over) while the others come.
        let served = try ServedTestContract(connectionsPerInstance: 1)
        defer { served.close() }
        let (server, client) = (served.server, served.client)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                let slept = try await client.call(TestContract.sleep, .init(milliseconds: 50), timeout: 30).slept
                #expect(slept == 50)
            }
            for i in 0..<200 {
                group.addTask {
                    let sum = try await client.call(TestContract.add, .init(a: i, b: i), timeout: 30).sum
                    #expect(sum == 2 * i)
                }
            }
            try await group.waitForAll()
        }
        // The server counts a call ended just after sending its answer, so the count can lag the
        // answers by a moment.
        try await eventually { server.inFlightCalls == 0 }
    }

    @Test
    func aServerGoingAwayDuringACallFailsItUnavailableAndTheNextCallReconnects() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("a.sock")
        let server = try startTestServer(path)
        let client = RPCClient(service: "test", socketPaths: [path])
        defer { client.close() }
        #expect(try await client.call(TestContract.add, .init(a: 1, b: 2)).sum == 3)
        let pending = Task { try await client.call(TestContract.sleep, .init(milliseconds: 10_000), timeout: 30) }
        try await Task.sleep(nanoseconds: 100_000_000)
        server.stop()
        do {
            _ = try await pending.value
            Issue.record("expected UNAVAILABLE")
        } catch let error as RPCError {
            #expect(error.code == .unavailable)
        }
        let restarted = try startTestServer(path)
        defer { restarted.stop() }
        #expect(try await client.call(TestContract.add, .init(a: 4, b: 5), timeout: 10).sum == 9)
    }

    /// The reader thread always reads, so an idle connection sees its peer go away at once and is
    /// never handed to the next call. A tried design where the reader parked while nothing was in
    /// flight (so a lone caller could read its own answer) lost this property: this test fails on it.
    @Test
    func anIdleConnectionNoticesItsPeerGoingAwayWithoutACall() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("a.sock")
        let server = try startTestServer(path)
        let connection = try ClientConnection(path: path, maxFrameSize: 4 << 20)
        defer { connection.close() }
        var frame = try EnvelopeFormat.requestFrame(method: TestContract.add.fullName, metadata: Metadata(), maxFrameSize: 4 << 20) {
            try defaultMessageCodec.encode(TestContract.AddRequest(a: 2, b: 2), appendingTo: &$0)
        }
        let body = try await connection.call(frame: &frame, deadline: Deadline.after(seconds: 30))
        #expect(try defaultMessageCodec.decode(TestContract.AddResponse.self, from: body).sum == 4)
        #expect(!connection.isClosed)
        server.stop()
        try await eventually { connection.isClosed }
        // And a call on it is refused before anything is sent (so the client retries elsewhere).
        await #expect(throws: NotSent.self) {
            _ = try await connection.call(frame: &frame, deadline: Deadline.after(seconds: 30))
        }
    }

    @Test
    func aClosedClientsNextCallOpensANewConnection() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let server = try startTestServer(dir.file("a.sock"))
        defer { server.stop() }
        let client = RPCClient(service: "test", socketPaths: [dir.file("a.sock")])
        #expect(try await client.call(TestContract.add, .init(a: 1, b: 2)).sum == 3)
        client.close()
        #expect(try await client.call(TestContract.add, .init(a: 3, b: 4)).sum == 7)
        client.close()
    }
}
