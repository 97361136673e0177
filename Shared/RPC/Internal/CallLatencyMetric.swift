import Observability
import Synchronization

/// A latency histogram per (method, status) in a registry, looked up without rendering labels on
/// every call: the registry's series are created once and then found in a small hash table.
final class CallLatencyMetric: Sendable {
    private struct Key: Hashable {
        let method: String
        let code: RPCError.Code
    }

    private let registry: MetricsRegistry
    private let name: String
    private let help: String
    private let series = Mutex<[Key: Histogram]>([:])

    init(registry: MetricsRegistry, name: String, help: String) {
        self.registry = registry
        self.name = name
        self.help = help
    }

    /// Records one call of `method` that ended with `code` after `seconds`.
    func observe(method: String, code: RPCError.Code, seconds: Double) {
        let key = Key(method: method, code: code)
        if let histogram = series.withLock({ $0[key] }) {
            histogram.observe(seconds)
            return
        }
        let histogram = registry.histogram(name, help: help, labels: ["method": method, "code": code.description])
        series.withLock { $0[key] = histogram }
        histogram.observe(seconds)
    }
}
