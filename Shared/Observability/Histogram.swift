import Synchronization

/// Observations counted in fixed buckets, for latency distributions.
public final class Histogram: Sendable {
    /// Default latency buckets in seconds, from 50 us to 10 s.
    public static let defaultBuckets: [Double] = [
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    struct State {
        var counts: [UInt64]
        var count: UInt64 = 0
        var sum: Double = 0
    }

    /// Upper bounds of the buckets, ascending.
    public let buckets: [Double]
    private let state: Mutex<State>

    init(buckets: [Double]) {
        self.buckets = buckets.sorted()
        self.state = Mutex(State(counts: Array(repeating: 0, count: buckets.count)))
    }

    /// Records one observation.
    public func observe(_ value: Double) {
        let index = buckets.firstIndex { value <= $0 }
        state.withLock { state in
            if let index { state.counts[index] += 1 }
            state.count += 1
            state.sum += value
        }
    }

    /// The number of observations so far.
    public var count: UInt64 { state.withLock { $0.count } }

    func snapshot() -> State { state.withLock { $0 } }
}
