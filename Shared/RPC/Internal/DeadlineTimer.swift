import Dispatch

/// Runs an action once after a delay unless cancelled first.
final class DeadlineTimer: @unchecked Sendable {
    // DispatchWorkItem is thread-safe; it is only not marked Sendable.
    private let item: DispatchWorkItem

    /// Arms the timer: `action` runs on a global queue after `microseconds`.
    init(afterMicroseconds microseconds: Int64, _ action: @escaping @Sendable () -> Void) {
        item = DispatchWorkItem(block: action)
        let delay = DispatchTimeInterval.microseconds(Int(min(max(0, microseconds), Int64(Int32.max))))
        DispatchQueue.global().asyncAfter(deadline: .now() + delay, execute: item)
    }

    /// Stops the timer if it has not fired.
    func cancel() { item.cancel() }
}
