import Foundation
import Testing
import TestSupport
import Wire
@testable import RPC

/// A client of a router in the same process answers as the router's server would, without a socket.
@Suite struct InProcessClientTests {
    private let counter = CancellationCounter()

    private func client() -> RPCClient {
        RPCClient(service: "test", router: TestContract.router(cancellations: counter), defaultTimeout: 60)
    }

    @Test func answersAsTheServerWould() async throws {
        let client = client()
        #expect(try await client.call(TestContract.add, .init(a: 40, b: 2)).sum == 42)
        #expect(try await client.call(TestContract.sleep, .init(milliseconds: 1)).slept == 1)
        #expect(try await client.call(StandardMethods.health, .init()).status == .serving)
        #expect(client.instanceCount == 1)
    }

    @Test func statusesAreTheServers() async throws {
        let client = client()
        await #expect(throws: RPCError(.notFound, "no such ticket")) { try await client.call(TestContract.notFound, .init()) }
        await #expect(throws: RPCError(.unimplemented, "unknown method test.v1/Missing")) { try await client.call(TestContract.missing, .init()) }
        await #expect(throws: RPCError.internalError()) { try await client.call(TestContract.crash, .init()) }
        await #expect(throws: RPCError.internalError()) { try await client.call(TestContract.crashLater, .init()) }
    }

    @Test func aRequestThatDoesNotDecodeNamesTheField() async throws {
        let wrong = MethodDescriptor<TestContract.SleepRequest, TestContract.AddResponse>(service: "test.v1", method: "Add")
        do {
            _ = try await client().call(wrong, .init(milliseconds: 5))
            Issue.record("a request without `a` was accepted")
        } catch let error as RPCError {
            #expect(error.code == .invalidArgument)
            #expect(error.message == "invalid request: field `a` is required", "\(error.message)")
        }
    }

    @Test func anAsynchronousHandlerIsCancelledAtTheDeadline() async throws {
        let client = client()
        let before = counter.value
        await #expect(throws: RPCError(.deadlineExceeded, "deadline exceeded")) {
            try await client.call(TestContract.sleep, .init(milliseconds: 10_000), timeout: 0.1)
        }
        #expect(counter.value == before + 1)
    }

    @Test func everyInstanceIsTheOneRouter() async throws {
        let replies = try await client().callEveryInstance(TestContract.add, .init(a: 1, b: 1))
        guard case .answered(let response)? = replies[0] else {
            Issue.record("no answer: \(replies)")
            return
        }
        #expect(response.sum == 2)
        #expect(replies.count == 1)
    }
}
