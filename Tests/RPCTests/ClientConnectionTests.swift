import Foundation
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
    private func startServer(_ path: String, counter: CancellationCounter = CancellationCounter()) throws -> RPCServer {
        let server = RPCServer(socketPath: path, router: TestContract.router(cancellations: counter),
                               identity: .init(service: "test", version: "1"), logger: Logger(label: "test", sink: .discard))
        try server.start()
        return server
    }

    @Test
    func sequentialCallsAreEachAnsweredCorrectly() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let server = try startServer(dir.file("a.sock"))
        defer { server.stop() }
        let client = RPCClient(service: "test", socketPaths: [dir.file("a.sock")])
        defer { client.close() }
        for i in 0..<300 {
            #expect(try await client.call(TestContract.add, .init(a: i, b: 7)).sum == i + 7)
        }
        await #expect(throws: RPCError.self) { _ = try await client.call(TestContract.notFound, .init()) }
        #expect(try await client.call(TestContract.add, .init(a: 1, b: 1)).sum == 2)
    }

    @Test
    func concurrentCallsWhileOneWaitsAreAnswered() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let server = try startServer(dir.file("a.sock"))
        defer { server.stop() }
        // One connection: the slow call owns the socket (or has handed it over) while the others come.
        let client = RPCClient(service: "test", socketPaths: [dir.file("a.sock")], connectionsPerInstance: 1)
        defer { client.close() }
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
        #expect(server.inFlightCalls == 0)
    }

    @Test
    func aServerGoingAwayDuringACallFailsItUnavailableAndTheNextCallReconnects() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("a.sock")
        let server = try startServer(path)
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
        let restarted = try startServer(path)
        defer { restarted.stop() }
        #expect(try await client.call(TestContract.add, .init(a: 4, b: 5), timeout: 10).sum == 9)
    }

    @Test
    func aClosedClientsNextCallOpensANewConnection() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let server = try startServer(dir.file("a.sock"))
        defer { server.stop() }
        let client = RPCClient(service: "test", socketPaths: [dir.file("a.sock")])
        #expect(try await client.call(TestContract.add, .init(a: 1, b: 2)).sum == 3)
        client.close()
        #expect(try await client.call(TestContract.add, .init(a: 3, b: 4)).sum == 7)
        client.close()
    }
}
