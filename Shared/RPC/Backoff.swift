/// Jittered exponential backoff: each delay grows by `multiplier` up to `maximum`, randomised by ±`jitter`.
public struct Backoff: Sendable {
    public var initial: Double
    public var maximum: Double
    public var multiplier: Double
    public var jitter: Double
    private var current: Double

    public init(initial: Double = 0.1, maximum: Double = 10, multiplier: Double = 1.6, jitter: Double = 0.2) {
        precondition(initial > 0 && maximum >= initial && multiplier >= 1 && (0..<1).contains(jitter))
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.jitter = jitter
        self.current = initial
    }

    /// The next delay in seconds.
    public mutating func next() -> Double {
        let base = current
        current = min(current * multiplier, maximum)
        let spread = base * jitter
        return min(maximum, max(0, base + Double.random(in: -spread...spread)))
    }

    /// Starts again from `initial`.
    public mutating func reset() { current = initial }
}
