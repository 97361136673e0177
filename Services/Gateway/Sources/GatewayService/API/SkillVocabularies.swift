import Posix
import Synchronization

/// The skills service's current vocabulary per tenant (``SkillsContract/DetectResponse/vocabulary``),
/// as seen in its latest answers, so a recommendation can reuse a ticket's stored skills instead of
/// asking for them again: they are reused only when they were detected from the same text with a
/// vocabulary seen at most ``maxAge`` seconds ago. A vocabulary that changes without the gateway
/// seeing it (the service restarted, learned, or its custom skills changed) is therefore noticed
/// within ``maxAge`` seconds: the next detection after that shows the new one.
final class SkillVocabularies: Sendable {
    /// Seconds a seen vocabulary is trusted.
    static let maxAge: Double = 10
    /// Tenants remembered at most; the table starts over when full.
    static let capacity = 10_000

    private struct Seen {
        let vocabulary: String
        let at: UInt64
    }

    private let seen = Mutex<[String: Seen]>([:])
    private let now: @Sendable () -> UInt64

    /// `now` gives monotonic nanoseconds (tests pass a clock they move).
    init(now: @escaping @Sendable () -> UInt64 = { Monotonic.nanoseconds() }) { self.now = now }

    /// The tenant's vocabulary if it was seen recently enough to trust.
    func current(tenant: String) -> String? {
        let time = now()
        guard let entry = seen.withLock({ $0[tenant] }) else { return nil }
        return time &- entry.at <= UInt64(Self.maxAge * 1e9) ? entry.vocabulary : nil
    }

    /// Records the vocabulary of a detection that just answered.
    func saw(_ vocabulary: String, tenant: String) {
        let time = now()
        seen.withLock { seen in
            if seen.count >= Self.capacity, seen[tenant] == nil { seen.removeAll() }
            seen[tenant] = Seen(vocabulary: vocabulary, at: time)
        }
    }

    /// Forgets the tenant's vocabulary (its custom skills just changed).
    func forget(tenant: String) {
        _ = seen.withLock { $0.removeValue(forKey: tenant) }
    }
}
