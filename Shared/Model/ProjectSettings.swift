/// How a project ranks and assigns.
public struct ProjectSettings: Codable, Sendable, Equatable {
    /// Weight of each scoring factor (see ``ScoringFactor``); missing factors use the default weight.
    public var weights: [String: Double]
    /// Assign automatically when the confidence is above ``confidenceThreshold``.
    public var autoAssign: Bool
    /// Margin of the first candidate over the second (0...1) needed to auto-assign.
    public var confidenceThreshold: Double
    /// Open work untouched for longer than this many days counts less towards workload.
    public var staleDays: Int
    /// Who may be recommended: `recent` (resolved a ticket in the last 365 days, or declared active),
    /// `assignable` (people synced as assignable), or `all` active people.
    public var candidatePool: String
    /// Fallback when nobody fits.
    public var defaultAssignee: String?
    /// Skills every ticket of the project needs at a minimum declared level (a ticket's own
    /// ``Ticket/requiredSkills`` take their place for the same skill).
    public var requiredSkills: [RequiredSkill]?
    /// When SmartTicket assigns an issue in Jira (automatically, or by a person through SmartTicket), it adds a short
    /// comment there with the reasons. Off (nil or false) by default.
    public var explainInJira: Bool?

    public init(weights: [String: Double] = ScoringFactor.defaultWeights, autoAssign: Bool = false,
                confidenceThreshold: Double = 0.25, staleDays: Int = 30, candidatePool: String = "recent",
                defaultAssignee: String? = nil, requiredSkills: [RequiredSkill]? = nil, explainInJira: Bool? = nil) {
        self.requiredSkills = requiredSkills
        self.explainInJira = explainInJira
        self.weights = weights
        self.autoAssign = autoAssign
        self.confidenceThreshold = confidenceThreshold
        self.staleDays = staleDays
        self.candidatePool = candidatePool
        self.defaultAssignee = defaultAssignee
    }

    /// The problems with these settings, each naming its field; empty when valid.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        for (name, weight) in weights.sorted(by: { $0.key < $1.key }) {
            if ScoringFactor(rawValue: name) == nil { errors.append("settings.weights.\(name): unknown factor") }
            if !weight.isFinite || weight < 0 || weight > 10 { errors.append("settings.weights.\(name): must be between 0 and 10") }
        }
        if !(0...1).contains(confidenceThreshold) { errors.append("settings.confidenceThreshold: must be between 0 and 1") }
        if !(1...3650).contains(staleDays) { errors.append("settings.staleDays: must be between 1 and 3650") }
        if !["recent", "assignable", "all"].contains(candidatePool) {
            errors.append("settings.candidatePool: must be recent, assignable or all")
        }
        errors += RequiredSkill.validationErrors(requiredSkills, field: "settings.requiredSkills")
        return errors
    }
}

/// The factors a ranking is explained by.
public enum ScoringFactor: String, CaseIterable, Codable, Sendable, ListedCases {
    case skillFit
    case similarWork
    case workload
    case availability
    case fairness
    case recentActivity

    /// Default weights (tuned on replay of real histories; see docs/scoring-model.md).
    public static let defaultWeights: [String: Double] = [
        "skillFit": 0.4, "similarWork": 1.0, "workload": 0.3, "availability": 0.5, "fairness": 0.2, "recentActivity": 0.6,
    ]
}
