#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A server's methods, found by the UTF-8 bytes of their name as they arrive (no String made per
/// call): a short list scanned by length, then bytes. Built once, then read-only.
struct MethodTable: Sendable {
    /// One method.
    struct Entry: Sendable {
        /// `service.v1/Method`.
        let name: String
        let handler: Router.Handler
        /// Health and info answer while the server drains; other methods get UNAVAILABLE.
        let answersWhileDraining: Bool
        /// Latency histograms of this method, if the server has metrics.
        let latency: CallLatencyMetric.Series?
        fileprivate let utf8: [UInt8]
    }

    private var entries: [Entry] = []

    /// Adds or replaces `name`.
    mutating func add(_ name: String, handler: @escaping Router.Handler, answersWhileDraining: Bool, latency: CallLatencyMetric?) {
        entries.removeAll { $0.name == name }
        entries.append(Entry(name: name, handler: handler, answersWhileDraining: answersWhileDraining,
                             latency: latency?.series(method: name), utf8: Array(name.utf8)))
    }

    /// The method whose name is `utf8`, if any.
    func entry(named utf8: UnsafeRawBufferPointer) -> Entry? {
        for entry in entries where entry.utf8.count == utf8.count {
            let same = entry.utf8.withUnsafeBytes { name in
                utf8.isEmpty || memcmp(name.baseAddress!, utf8.baseAddress!, utf8.count) == 0
            }
            if same { return entry }
        }
        return nil
    }

    /// Every method name.
    var names: [String] { entries.map(\.name) }
}
