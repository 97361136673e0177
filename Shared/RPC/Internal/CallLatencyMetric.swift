import Observability
import Synchronization

/// A latency histogram per (method, status) in a registry, looked up without rendering labels on
/// every call: the registry's series are created once and then found in a ``SeriesCache``, or,
/// for a server's methods, in a per-method ``Series`` indexed by status code.
final class CallLatencyMetric: Sendable {
    private struct Key: Hashable {
        let method: String
        let code: RPCError.Code
    }

    /// The histograms of one method, one slot per status code (no hashing per call).
    final class Series: Sendable {
        private let metric: CallLatencyMetric
        private let method: String
        private let byCode = Mutex<[Histogram?]>(Array(repeating: nil, count: 17))

        fileprivate init(metric: CallLatencyMetric, method: String) {
            self.metric = metric
            self.method = method
        }

        /// Records one call that ended with `code` after `seconds`.
        func observe(code: RPCError.Code, seconds: Double) {
            let slot = Int(code.rawValue)
            if let histogram = byCode.withLock({ $0[slot] }) {
                histogram.observe(seconds)
                return
            }
            let histogram = metric.histogram(method: method, code: code)
            byCode.withLock { $0[slot] = histogram }
            histogram.observe(seconds)
        }
    }

    private let series: SeriesCache<Key, Histogram>

    init(registry: MetricsRegistry, name: String, help: String) {
        series = SeriesCache { key in
            registry.histogram(name, help: help, labels: ["method": key.method, "code": key.code.description])
        }
    }

    /// The per-code histograms of `method`, for recording without a look-up by name.
    func series(method: String) -> Series { Series(metric: self, method: method) }

    /// Records one call of `method` that ended with `code` after `seconds`.
    func observe(method: String, code: RPCError.Code, seconds: Double) {
        histogram(method: method, code: code).observe(seconds)
    }

    private func histogram(method: String, code: RPCError.Code) -> Histogram {
        series[Key(method: method, code: code)]
    }
}
