import Lifecycle

/// The scoring service's part of the configuration (`scoring.*`): how many tenants' models one instance keeps in
/// memory. Read with `configuration[ScoringSettings.self]`.
public struct ScoringSettings: ConfigurationSection {
    public var tenantIdleSeconds = 3600.0
    public var memoryBudgetMB = 2048

    public init() {}

    public static let keys: [ConfigurationKey<ScoringSettings>] = [
        .double("scoring.tenantIdleSeconds",
                "A tenant's model unused for this long is dropped (and loaded again from storage when next needed); 0 keeps it.",
                \.tenantIdleSeconds, 0...(30 * 86_400)),
        .int("scoring.memoryBudgetMB",
             "Above this estimate of all models (about 1 KB per resolved ticket), the least recently used tenants' models are dropped; 0: no budget.",
             \.memoryBudgetMB, 0...1_048_576),
    ]

    /// The limits these settings give.
    public var residency: ResidencyLimits {
        ResidencyLimits(idleSeconds: tenantIdleSeconds, budgetBytes: memoryBudgetMB << 20)
    }
}
