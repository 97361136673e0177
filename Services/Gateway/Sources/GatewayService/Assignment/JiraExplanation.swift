import Foundation
import Model

/// The short comment SmartTicket adds to a Jira issue it assigned when the project asks for it
/// (``ProjectSettings/explainInJira``): how it was assigned and the assignee's reasons from the ranking, as an
/// Atlassian Document Format document (a paragraph and a bullet list). Holds no ticket text: the reasons name skills,
/// counts and load, as the panel shows them.
struct JiraExplanation: Sendable, Equatable {
    /// At most this many reasons are listed.
    static let maxReasons = 4

    let automatic: Bool
    let reasons: [String]

    /// The explanation of assigning `assignee` with `candidates` ranked, nil when the ranking gives no reason for them.
    init?(automatic: Bool, assignee: String, candidates: [RankedCandidate]) {
        guard let reasons = candidates.first(where: { $0.person == assignee })?.reasons, !reasons.isEmpty else { return nil }
        self.automatic = automatic
        self.reasons = Array(reasons.prefix(Self.maxReasons))
    }

    /// The explanation of assigning `assignee` from a ranking's candidates as scoring wrote them (decoded only here).
    init?(automatic: Bool, assignee: String, written: CandidatesJSON) {
        guard let candidates = try? JSONDecoder().decode([RankedCandidate].self, from: Data(written.bytes)) else { return nil }
        self.init(automatic: automatic, assignee: assignee, candidates: candidates)
    }

    var headline: String {
        automatic ? "SmartTicket assigned this issue automatically. Why this assignee:"
                  : "Assigned through SmartTicket. What SmartTicket knew of the assignee:"
    }

    /// The ADF document.
    var document: [String: Any] {
        func text(_ value: String) -> [String: Any] { ["type": "text", "text": value] }
        let items: [[String: Any]] = reasons.map { ["type": "listItem", "content": [["type": "paragraph", "content": [text($0)]]]] }
        return ["type": "doc", "version": 1, "content": [
            ["type": "paragraph", "content": [text(headline)]],
            ["type": "bulletList", "content": items],
        ]]
    }
}
