/// A value whose memory ``TenantResidency`` can budget.
public protocol MemoryEstimating: Sendable {
    /// Roughly how many bytes the value holds (its collections' elements; overheads may be ignored).
    var estimatedBytes: Int { get }
}
