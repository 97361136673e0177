import Synchronization

/// A value shared between test tasks, behind a lock.
public final class Locked<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    public init(_ value: Value) { storage = Mutex(value) }

    /// Runs `body` with exclusive access to the value.
    @discardableResult
    public func withLock<R: Sendable>(_ body: (inout Value) -> R) -> R { storage.withLock { body(&$0) } }

    /// A copy of the value.
    public var value: Value { storage.withLock { $0 } }
}
