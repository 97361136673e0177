

/// A ranked list with a confidence and what to do with it.
public struct Ranking: Codable, Sendable, Equatable {
    /// What the gateway should do.
    public enum Action: String, Codable, Sendable {
        /// Assign the first candidate now (auto-assign on, confident, available, not opted out).
        case assign
        /// Suggest the first candidates to a person.
        case suggest
        /// Nobody fits: use the project's default assignee.
        case fallback
        /// Nobody fits and there is no default: leave the ticket unassigned.
        case unassigned
    }

    public var candidates: [RankedCandidate]
    /// The margin of the first candidate over the second, relative to the first (0...1).
    public var confidence: Double
    public var action: Action
    /// Who to assign for `assign` and `fallback`.
    public var assignee: String?
    /// Why, in plain words.
    public var note: String
    /// Display names of the candidates by person id (filled when scoring ranked from its snapshot).
    public var names: [String: String]?
    /// The candidates as the decision log's JSON (when the request asked for `writeCandidates`);
    /// `candidates` is then empty.
    public var written: CandidatesJSON?

    public init(candidates: [RankedCandidate], confidence: Double, action: Action, assignee: String?, note: String) {
        self.candidates = candidates
        self.confidence = confidence
        self.action = action
        self.assignee = assignee
        self.note = note
    }
}
