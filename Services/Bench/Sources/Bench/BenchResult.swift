import Foundation

/// One benchmark figure.
public struct BenchResult: Codable, Sendable {
    public var name: String
    public var p50_us: Double?
    public var p99_us: Double?
    public var ops_per_s: Double?
    public var note: String?

    public init(name: String, p50_us: Double? = nil, p99_us: Double? = nil, ops_per_s: Double? = nil, note: String? = nil) {
        self.name = name
        self.p50_us = p50_us
        self.p99_us = p99_us
        self.ops_per_s = ops_per_s
        self.note = note
    }

    /// One JSON object, for `--json` output.
    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// One aligned text line.
    public var textLine: String {
        func format(_ value: Double?, _ unit: String) -> String {
            guard let value else { return "" }
            return String(format: "%.1f %@", value, unit)
        }
        var parts = [name.padding(toLength: 28, withPad: " ", startingAt: 0)]
        if p50_us != nil { parts.append("p50 " + format(p50_us, "us").padding(toLength: 12, withPad: " ", startingAt: 0)) }
        if p99_us != nil { parts.append("p99 " + format(p99_us, "us").padding(toLength: 12, withPad: " ", startingAt: 0)) }
        if let ops = ops_per_s { parts.append(String(format: "%.0f ops/s", ops)) }
        if let note { parts.append("(\(note))") }
        return parts.joined(separator: " ")
    }
}

/// Percentiles of latency samples in microseconds.
struct LatencySamples {
    private(set) var values: [Double] = []

    mutating func add(_ microseconds: Double) { values.append(microseconds) }

    func percentile(_ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let index = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
        return sorted[index]
    }
}
