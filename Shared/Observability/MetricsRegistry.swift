import Synchronization

/// Counters, gauges and histograms, rendered in the Prometheus text exposition format.
///
/// Label values must be low-cardinality identifiers (routes, methods, status codes), never ids of
/// people, tickets or tenants.
public final class MetricsRegistry: Sendable {
    private struct Family {
        var help: String
        var type: String
        var series: [String: Series]   // key: rendered label set
    }

    private enum Series {
        case value(MetricValue)
        case histogram(Histogram)
    }

    private let families = Mutex<[String: Family]>([:])

    public init() {}

    /// The counter `name` with `labels`, created on first use.
    public func counter(_ name: String, help: String, labels: [String: String] = [:]) -> Counter {
        Counter(value: value(name, help: help, type: "counter", labels: labels))
    }

    /// The gauge `name` with `labels`, created on first use.
    public func gauge(_ name: String, help: String, labels: [String: String] = [:]) -> Gauge {
        Gauge(value: value(name, help: help, type: "gauge", labels: labels))
    }

    /// The histogram `name` with `labels` and upper `buckets` (seconds by convention), created on first use.
    public func histogram(
        _ name: String, help: String, labels: [String: String] = [:],
        buckets: [Double] = Histogram.defaultBuckets
    ) -> Histogram {
        let key = MetricsRegistry.render(labels)
        return families.withLock { families in
            var family = families[name] ?? Family(help: help, type: "histogram", series: [:])
            if case .histogram(let existing)? = family.series[key] { return existing }
            let histogram = Histogram(buckets: buckets)
            family.series[key] = .histogram(histogram)
            families[name] = family
            return histogram
        }
    }

    /// The whole registry in Prometheus text format (version 0.0.4).
    public func render() -> String {
        let snapshot = families.withLock { $0 }
        var out = ""
        for name in snapshot.keys.sorted() {
            let family = snapshot[name]!
            out += "# HELP \(name) \(family.help)\n# TYPE \(name) \(family.type)\n"
            for labels in family.series.keys.sorted() {
                switch family.series[labels]! {
                case .value(let value):
                    out += "\(name)\(labels.isEmpty ? "" : "{\(labels)}") \(MetricsRegistry.format(value.get()))\n"
                case .histogram(let histogram):
                    let state = histogram.snapshot()
                    let prefix = labels.isEmpty ? "" : labels + ","
                    var cumulative: UInt64 = 0
                    for (bound, count) in zip(histogram.buckets, state.counts) {
                        cumulative += count
                        out += "\(name)_bucket{\(prefix)le=\"\(MetricsRegistry.format(bound))\"} \(cumulative)\n"
                    }
                    out += "\(name)_bucket{\(prefix)le=\"+Inf\"} \(state.count)\n"
                    out += "\(name)_sum\(labels.isEmpty ? "" : "{\(labels)}") \(MetricsRegistry.format(state.sum))\n"
                    out += "\(name)_count\(labels.isEmpty ? "" : "{\(labels)}") \(state.count)\n"
                }
            }
        }
        return out
    }

    private func value(_ name: String, help: String, type: String, labels: [String: String]) -> MetricValue {
        let key = MetricsRegistry.render(labels)
        return families.withLock { families in
            var family = families[name] ?? Family(help: help, type: type, series: [:])
            if case .value(let existing)? = family.series[key] { return existing }
            let value = MetricValue()
            family.series[key] = .value(value)
            families[name] = family
            return value
        }
    }

    static func render(_ labels: [String: String]) -> String {
        labels.keys.sorted().map { key in "\(key)=\"\(escape(labels[key]!))\"" }.joined(separator: ",")
    }

    /// Escapes `\`, `"` and newlines in a label value (the common case has none and is returned as is).
    static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return value }
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    static func format(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

/// A shared numeric cell.
final class MetricValue: Sendable {
    private let cell = Mutex<Double>(0)
    func add(_ delta: Double) { cell.withLock { $0 += delta } }
    func set(_ value: Double) { cell.withLock { $0 = value } }
    func get() -> Double { cell.withLock { $0 } }
}

/// A monotonically increasing count.
public struct Counter: Sendable {
    let value: MetricValue
    /// Adds `amount` (default 1).
    public func increment(by amount: Double = 1) { value.add(amount) }
    /// The current count.
    public var current: Double { value.get() }
}

/// A value that goes up and down.
public struct Gauge: Sendable {
    let value: MetricValue
    /// Sets the value.
    public func set(_ newValue: Double) { value.set(newValue) }
    /// Adds `delta` (may be negative).
    public func add(_ delta: Double) { value.add(delta) }
    /// The current value.
    public var current: Double { value.get() }
}
