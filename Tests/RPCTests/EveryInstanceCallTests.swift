import Foundation
import Harness
import Testing
import TestSupport
@testable import RPC

/// A call sent to every instance (what learning and forgetting a tenant use): each running instance runs it and
/// says so, one that nothing serves is reported not running, one that fails is reported failed.
@Suite struct EveryInstanceCallTests {
    @Test func everyRunningInstanceAnswersAndAMissingOneIsNotRunning() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let paths = (0..<3).map { directory.file("test-\($0).sock") }
        let zero = try startTestServer(paths[0], instance: 0)
        defer { zero.stop() }
        let one = try startTestServer(paths[1], instance: 1)
        defer { one.stop() }
        let client = RPCClient(service: "test", socketPaths: paths)   // nothing listens at paths[2]
        defer { client.close() }

        let replies = try await client.callEveryInstance(StandardMethods.info, InfoRequest(), timeout: 30)
        #expect(replies.count == 3)
        #expect(replies[0]?.answer?.instance == 0, "\(String(describing: replies[0]))")
        #expect(replies[1]?.answer?.instance == 1, "\(String(describing: replies[1]))")
        guard case .notRunning = try #require(replies[2]) else {
            Issue.record("instance 2 has no server: \(String(describing: replies[2]))")
            return
        }
        // Each instance ran it once, whatever the round-robin position.
        for _ in 0..<3 {
            let again = try await client.callEveryInstance(StandardMethods.info, InfoRequest(), timeout: 30)
            #expect(again.compactMap { $0.value.answer?.instance }.sorted() == [0, 1])
        }
        let only = try await client.callEveryInstance(StandardMethods.info, InfoRequest(), timeout: 5, only: [1])
        #expect(only.count == 1 && only[1]?.answer?.instance == 1)
    }

    @Test func aRunningInstanceThatFailsOrRunsOutOfTimeIsReportedFailed() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let paths = (0..<2).map { directory.file("test-\($0).sock") }
        let servers = try paths.enumerated().map { try startTestServer($0.element, instance: $0.offset) }
        defer { for server in servers { server.stop() } }
        let client = RPCClient(service: "test", socketPaths: paths)
        defer { client.close() }

        let failed = try await client.callEveryInstance(TestContract.notFound, .init(), timeout: 30)
        #expect(failed.count == 2)
        #expect(failed.values.allSatisfy { $0.failure?.code == .notFound }, "\(failed)")
        let slow = try await client.callEveryInstance(TestContract.sleep, .init(milliseconds: 5_000), timeout: 0.3)
        #expect(slow.values.allSatisfy { $0.failure?.code == .deadlineExceeded }, "\(slow)")
    }

    @Test func anInstanceThatStopsIsNotRunningAndOneThatStartsAgainAnswers() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("test-0.sock")
        var server = try startTestServer(path, instance: 0)
        let client = RPCClient(service: "test", socketPaths: [path])
        defer { client.close() }
        #expect(try await client.callEveryInstance(TestContract.add, .init(a: 1, b: 2), timeout: 30)[0]?.answer?.sum == 3)
        server.stop()
        guard case .notRunning = try #require(try await client.callEveryInstance(TestContract.add, .init(a: 1, b: 2), timeout: 30)[0]) else {
            Issue.record("a stopped instance is not running")
            return
        }
        server = try startTestServer(path, instance: 0)
        defer { server.stop() }
        #expect(try await client.callEveryInstance(TestContract.add, .init(a: 2, b: 2), timeout: 30)[0]?.answer?.sum == 4)
    }
}
