import Foundation
import Synchronization
import RPC

/// Methods served only in tests, to exercise the RPC layer's edge cases.
public enum TestContract {
    public static let add = MethodDescriptor<AddRequest, AddResponse>(service: "test.v1", method: "Add")
    /// Sleeps `milliseconds` (cancellable), then answers; counts cancellations it saw.
    public static let sleep = MethodDescriptor<SleepRequest, SleepResponse>(service: "test.v1", method: "Sleep")
    /// Throws an unexpected (non-RPC) error (a synchronous handler).
    public static let crash = MethodDescriptor<Empty, Empty>(service: "test.v1", method: "Crash")
    /// Throws an unexpected error after suspending once (an asynchronous handler).
    public static let crashLater = MethodDescriptor<Empty, Empty>(service: "test.v1", method: "CrashLater")
    /// Answers 1 when the handler (a synchronous one) ran without a task, else 0.
    public static let taskless = MethodDescriptor<Empty, AddResponse>(service: "test.v1", method: "Taskless")
    /// Throws NOT_FOUND with a message.
    public static let notFound = MethodDescriptor<Empty, Empty>(service: "test.v1", method: "NotFound")
    /// Reports how many Sleep handlers were cancelled so far.
    public static let cancellations = MethodDescriptor<Empty, AddResponse>(service: "test.v1", method: "Cancellations")
    /// Answers once the test opens the router's ``Gate``.
    public static let hold = MethodDescriptor<Empty, Empty>(service: "test.v1", method: "Hold")
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
    public static func router(cancellations counter: CancellationCounter = CancellationCounter(), gate: Gate = Gate()) -> Router {
        var router = Router()
        router.registerBlocking(add) { request, _ in AddResponse(sum: request.a + request.b) }
        router.registerAsync(sleep) { request, _ in
            do {
                try await Task.sleep(nanoseconds: UInt64(request.milliseconds) * 1_000_000)
            } catch {
                counter.increment()
                throw error
            }
            return SleepResponse(slept: request.milliseconds)
        }
        router.registerBlocking(crash) { _, _ in throw Unexpected() }
        router.registerAsync(crashLater) { _, _ in
            await Task.yield()
            throw Unexpected()
        }
        router.registerBlocking(taskless) { _, _ in AddResponse(sum: withUnsafeCurrentTask { $0 == nil } ? 1 : 0) }
        router.registerBlocking(notFound) { _, _ in throw RPCError.notFound("no such ticket") }
        router.registerBlocking(cancellations) { _, _ in AddResponse(sum: counter.value) }
        router.registerAsync(hold) { _, _ in
            await gate.wait()
            return Empty()
        }
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

/// Holds `hold` calls until the test opens it: a call that stays in flight exactly as long as a test
/// needs, however slow the machine.
public final class Gate: Sendable {
    private struct State {
        var open = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    public init() {}

    /// Returns once the gate is open.
    public func wait() async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Opens the gate for every waiting and later call.
    public func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
