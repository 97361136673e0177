import Foundation
import Synchronization
import RPC

/// Methods served only in tests, to exercise the RPC layer's edge cases.
public enum TestContract {
    public static let add = MethodDescriptor<AddRequest, AddResponse>(service: "test.v1", method: "Add")
    /// Sleeps `milliseconds` (cancellable), then answers; counts cancellations it saw.
    public static let sleep = MethodDescriptor<SleepRequest, SleepResponse>(service: "test.v1", method: "Sleep")
    /// Throws an unexpected (non-RPC) error.
    public static let crash = MethodDescriptor<Empty, Empty>(service: "test.v1", method: "Crash")
    /// Throws NOT_FOUND with a message.
    public static let notFound = MethodDescriptor<Empty, Empty>(service: "test.v1", method: "NotFound")
    /// Reports how many Sleep handlers were cancelled so far.
    public static let cancellations = MethodDescriptor<Empty, AddResponse>(service: "test.v1", method: "Cancellations")
    /// A method no server registers.
    public static let missing = MethodDescriptor<Empty, Empty>(service: "test.v1", method: "Missing")

    public struct AddRequest: Codable, Sendable, Equatable {
        public var a: Int
        public var b: Int
        public init(a: Int, b: Int) { self.a = a; self.b = b }
    }

    public struct AddResponse: Codable, Sendable, Equatable {
        public var sum: Int
        public init(sum: Int) { self.sum = sum }
    }

    public struct SleepRequest: Codable, Sendable {
        public var milliseconds: Int
        public init(milliseconds: Int) { self.milliseconds = milliseconds }
    }

    public struct SleepResponse: Codable, Sendable {
        public var slept: Int
    }

    public struct Empty: Codable, Sendable, Equatable {
        public init() {}
    }

    /// Something a handler may throw that is not an RPCError.
    struct Unexpected: Error {}

    /// A router serving every method above (except `missing`), with its cancellation counter.
    public static func router(cancellations counter: CancellationCounter = CancellationCounter()) -> Router {
        var router = Router()
        router.register(add) { request, _ in AddResponse(sum: request.a + request.b) }
        router.register(sleep) { request, _ in
            do {
                try await Task.sleep(nanoseconds: UInt64(request.milliseconds) * 1_000_000)
            } catch {
                counter.increment()
                throw error
            }
            return SleepResponse(slept: request.milliseconds)
        }
        router.register(crash) { _, _ in throw Unexpected() }
        router.register(notFound) { _, _ in throw RPCError.notFound("no such ticket") }
        router.register(cancellations) { _, _ in AddResponse(sum: counter.value) }
        return router
    }
}

/// Counts cancelled handlers, shared between a test and its server.
public final class CancellationCounter: Sendable {
    private let count = Mutex(0)
    public init() {}
    public func increment() { count.withLock { $0 += 1 } }
    public var value: Int { count.withLock { $0 } }
}
