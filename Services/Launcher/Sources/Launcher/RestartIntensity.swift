/// OTP-style restart intensity: more than `maxRestarts` restarts within `window` seconds means the
/// child cannot be kept up, and the whole tree should stop instead of looping forever.
public struct RestartIntensity: Sendable {
    public let maxRestarts: Int
    public let window: Double
    private var times: [Double] = []

    public init(maxRestarts: Int, window: Double) {
        self.maxRestarts = maxRestarts
        self.window = window
    }

    /// Records a restart at `time` (seconds, monotonic); false when this restart exceeds the intensity.
    public mutating func recordRestart(at time: Double) -> Bool {
        times.append(time)
        times.removeAll { $0 <= time - window }
        return times.count <= maxRestarts
    }

    /// Restarts counted in the current window.
    public var recentRestarts: Int { times.count }
}
