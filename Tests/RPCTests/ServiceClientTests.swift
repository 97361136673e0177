import Harness
import Observability
import Testing
import TestSupport
@testable import RPC

/// A contract declared as the services' are: each method is tagged with the contract's own type, so only a
/// `ServiceClient<CalculatorContract>` calls it.
enum CalculatorContract {
    typealias Method<Request: Codable & Sendable, Response: Codable & Sendable> = ServiceMethod<CalculatorContract, Request, Response>

    /// Adds, after suspending once (an asynchronous handler).
    static let add = Method<TestContract.AddRequest, TestContract.AddResponse>(service: "calculator.v1", method: "Add")
    /// Answers 1 when its handler (a synchronous one) ran without a task, else 0.
    static let taskless = Method<TestContract.Empty, TestContract.AddResponse>(service: "calculator.v1", method: "Taskless")
}

/// A typed client calls its service's methods over a real socket, by the same names on the wire as untyped descriptors.
@Suite struct ServiceClientTests {
    @Test func aTypedCallReachesItsMethod() async throws {
        #expect(CalculatorContract.add.fullName == "calculator.v1/Add")
        var router = Router()
        router.registerAsync(CalculatorContract.add) { request, _ in
            await Task.yield()
            return TestContract.AddResponse(sum: request.a + request.b)
        }
        router.registerBlocking(CalculatorContract.taskless) { _, _ in TestContract.AddResponse(sum: withUnsafeCurrentTask { $0 == nil } ? 1 : 0) }
        #expect(router.methods == ["calculator.v1/Add", "calculator.v1/Taskless"])

        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("calculator.sock")
        let server = RPCServer(socketPath: path, router: router, identity: .init(service: "calculator", version: "1", instance: 0),
                               logger: Logger(label: "test", sink: .discard))
        try server.start()
        defer { server.stop() }
        let client = ServiceClient<CalculatorContract>(service: "calculator", socketPaths: [path])
        defer { client.close() }

        #expect(try await client.call(CalculatorContract.add, .init(a: 40, b: 2), timeout: 30).sum == 42)
        #expect(try await client.call(CalculatorContract.taskless, .init(), timeout: 30).sum == 1,
                "a synchronous handler registered by its typed method stays synchronous")
        let replies = try await client.callEveryInstance(CalculatorContract.add, .init(a: 1, b: 2), timeout: 30)
        #expect(client.instanceCount == 1 && replies[0]?.answer?.sum == 3)
        // The standard methods are called on the untyped client underneath.
        #expect(try await client.rpc.call(StandardMethods.health, HealthCheckRequest(), timeout: 30).status == .serving)
    }
}
