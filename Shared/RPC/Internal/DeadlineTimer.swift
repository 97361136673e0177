/// Runs an action once after a delay unless cancelled first; scheduled on the process-wide
/// ``DeadlineScheduler`` (one thread and a heap, far cheaper per call than a Dispatch timer).
struct DeadlineTimer: Sendable {
    private let id: UInt64

    /// Arms the timer: `action` runs on the scheduler thread after `microseconds`.
    init(afterMicroseconds microseconds: Int64, _ action: @escaping @Sendable () -> Void) {
        id = DeadlineScheduler.shared.schedule(afterMicroseconds: microseconds, action)
    }

    /// Stops the timer if it has not fired.
    func cancel() { DeadlineScheduler.shared.cancel(id) }
}
