import Posix

/// A point in monotonic time by which a call must finish. Sent over the wire as remaining time.
public struct Deadline: Comparable, Hashable, Sendable {
    /// Monotonic nanoseconds.
    public let uptimeNanoseconds: UInt64

    public init(uptimeNanoseconds: UInt64) { self.uptimeNanoseconds = uptimeNanoseconds }

    /// Now.
    public static var now: Deadline { Deadline(uptimeNanoseconds: Monotonic.nanoseconds()) }

    /// A deadline `seconds` from now.
    public static func after(seconds: Double) -> Deadline {
        let nanos = max(0, seconds) * 1e9
        return Deadline(uptimeNanoseconds: Monotonic.nanoseconds() &+ UInt64(min(nanos, 1e18)))
    }

    /// A deadline `microseconds` from now.
    public static func after(microseconds: Int64) -> Deadline {
        Deadline(uptimeNanoseconds: Monotonic.nanoseconds() &+ UInt64(max(0, microseconds)) &* 1000)
    }

    /// Time left in microseconds (0 when passed).
    public var remainingMicroseconds: Int64 {
        let now = Monotonic.nanoseconds()
        return uptimeNanoseconds > now ? Int64((uptimeNanoseconds - now) / 1000) : 0
    }

    /// Time left in seconds (0 when passed).
    public var remainingSeconds: Double { Double(remainingMicroseconds) / 1e6 }

    /// Whether the deadline has passed.
    public var hasPassed: Bool { Monotonic.nanoseconds() >= uptimeNanoseconds }

    public static func < (lhs: Deadline, rhs: Deadline) -> Bool { lhs.uptimeNanoseconds < rhs.uptimeNanoseconds }
}
