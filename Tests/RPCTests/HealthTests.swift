import Harness
import Observability
import Synchronization
import Testing
import TestSupport
@testable import RPC

/// Health says what the service says of itself: NOT_SERVING while it cannot work (storage without its database), and
/// SERVING again once it can, while other methods keep being answered.
@Suite struct HealthTests {
    @Test func healthFollowsTheServicesOwnCheck() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let healthy = Atomic<Bool>(true)
        let server = RPCServer(socketPath: directory.file("h.sock"), router: TestContract.router(),
                               identity: .init(service: "test", version: "1"), logger: Logger(label: "test", sink: .discard),
                               isHealthy: { healthy.load(ordering: .relaxed) })
        try server.start()
        defer { server.stop() }
        let client = RPCClient(service: "test", socketPaths: [server.socketPath], defaultTimeout: 60)
        defer { client.close() }
        #expect(try await client.call(StandardMethods.health, .init()).status == .serving)
        healthy.store(false, ordering: .relaxed)
        #expect(try await client.call(StandardMethods.health, .init()).status == .notServing)
        #expect(try await client.call(TestContract.add, .init(a: 1, b: 1)).sum == 2)
        healthy.store(true, ordering: .relaxed)
        #expect(try await client.call(StandardMethods.health, .init()).status == .serving)
    }
}
