/// When a ``TenantResidency`` drops what it keeps for a tenant.
public struct ResidencyLimits: Sendable, Equatable {
    /// A tenant unused for this long is dropped at the next sweep; 0 keeps idle tenants.
    public var idleSeconds: Double
    /// The most the kept values may be estimated at; 0 for no budget.
    public var budgetBytes: Int

    public init(idleSeconds: Double, budgetBytes: Int) {
        self.idleSeconds = idleSeconds
        self.budgetBytes = budgetBytes
    }

    /// Nothing is ever dropped by the limits.
    public static let unlimited = ResidencyLimits(idleSeconds: 0, budgetBytes: 0)
}
