import Posix
import Synchronization

/// Stops calling a failing dependency for a while: after `threshold` consecutive failures the
/// circuit opens for `cooldown` seconds; then one trial call is let through (half-open), and its
/// outcome closes or re-opens the circuit.
public final class CircuitBreaker: Sendable {
    private struct State {
        var failures = 0
        var openUntil: UInt64 = 0
        var trialInFlight = false
    }

    public let threshold: Int
    public let cooldown: Double
    private let state = Mutex(State())

    public init(threshold: Int = 5, cooldown: Double = 30) {
        self.threshold = threshold
        self.cooldown = cooldown
    }

    /// Whether a call may go out now.
    public func allow() -> Bool {
        state.withLock { state in
            guard state.failures >= threshold else { return true }
            if Monotonic.nanoseconds() < state.openUntil || state.trialInFlight { return false }
            state.trialInFlight = true
            return true
        }
    }

    /// Records a successful call: the circuit closes.
    public func recordSuccess() {
        state.withLock { $0 = State() }
    }

    /// Records a failed call.
    public func recordFailure() {
        state.withLock { state in
            state.failures += 1
            state.trialInFlight = false
            if state.failures >= threshold {
                state.openUntil = Monotonic.nanoseconds() + UInt64(cooldown * 1e9)
            }
        }
    }

    /// Whether the circuit is open (calls are refused).
    public var isOpen: Bool {
        state.withLock { $0.failures >= threshold && Monotonic.nanoseconds() < $0.openUntil }
    }
}
