import Posix

/// Drives an async call sequentially or with N in flight and reports latency percentiles.
enum Load {
    static func sequential(name: String, iterations: Int, _ call: @Sendable () async throws -> Void) async throws -> BenchResult {
        var samples = LatencySamples()
        for iteration in 0..<(iterations + iterations / 10) {
            let start = Monotonic.nanoseconds()
            try await call()
            if iteration >= iterations / 10 { samples.add(Double(Monotonic.nanoseconds() - start) / 1000) }
        }
        return BenchResult(name: name, p50_us: samples.percentile(50), p99_us: samples.percentile(99), ops_per_s: 1e6 / samples.percentile(50))
    }

    static func concurrent(name: String, concurrency: Int, seconds: Double, _ call: @escaping @Sendable () async throws -> Void) async throws -> BenchResult {
        let deadline = Monotonic.nanoseconds() + UInt64(seconds * 1e9)
        let started = Monotonic.nanoseconds()
        let (count, all) = try await withThrowingTaskGroup(of: (Int, [Double]).self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var local: [Double] = []
                    while Monotonic.nanoseconds() < deadline {
                        let start = Monotonic.nanoseconds()
                        try await call()
                        local.append(Double(Monotonic.nanoseconds() - start) / 1000)
                    }
                    return (local.count, local)
                }
            }
            var total = 0
            var samples = LatencySamples()
            for try await (done, values) in group {
                total += done
                for value in values { samples.add(value) }
            }
            return (total, samples)
        }
        let elapsed = Double(Monotonic.nanoseconds() - started) / 1e9
        return BenchResult(name: name, p50_us: all.percentile(50), p99_us: all.percentile(99), ops_per_s: Double(count) / elapsed,
                           note: "\(concurrency) in flight")
    }
}
