import Foundation

/// How to read a replay's figures: the legend `smart-ticket replay` and `smart-ticket whatif` print under them, and the
/// warning they, `POST /api/v1/whatif` and the panel give when the history is too small for the figures to mean
/// anything.
public enum ReplayReading {
    /// The warning's threshold: fewer test tickets whose assignee was in the candidate pool than this. Every top-k and
    /// the MRR are means over those tickets; over n of them a rate's 95% interval is up to ±0.98/√n wide (±14 points
    /// at 50, ±31 at 10), too wide below 50 to tell one weight set from another or a good model from a poor one.
    public static let minimumInPool = 50

    /// The share of a history's resolved tickets a replay tests (``Replay``: it learns the first 80%).
    public static let testShare = 0.2

    /// What each figure means: its name as the commands print it, and the meaning (a name of "" continues the line above).
    public static let legend: [(name: String, meaning: String)] = [
        ("test tickets", "the last 20% of the history by resolution; each is ranked as it was created, from what was resolved before it"),
        ("in pool", "test tickets whose real assignee was in the candidate pool (resolved a ticket in the 365 days before)"),
        ("coverage", "in pool / test tickets: the share of test tickets the ranking could get right at all"),
        ("top-k", "share of the in-pool test tickets whose real assignee was among the first k people ranked (top1: ranked first)"),
        ("MRR", "mean reciprocal rank: the mean of 1/rank of the real assignee over the in-pool test tickets"),
        ("", "(1: always first, 0.5: second on average; 0 when not in the first 10)"),
    ]

    /// Entries the what-if table adds to ``legend``.
    public static let whatIfLegend: [(name: String, meaning: String)] = [
        ("load gini", "how unevenly first choices spread over the people in the pools (0: evenly, towards 1: on a few people)"),
        ("pick skill fit", "mean skill fit (0 to 1) of the first choices"),
    ]

    /// The warnings for a replay of `tickets` resolved tickets, `testTickets` of them tested and `inPool` of those with
    /// their assignee in the pool: one when there are too few to mean anything (``minimumInPool``), with the counts and
    /// what to do; none otherwise.
    public static func warnings(tickets: Int, testTickets: Int, inPool: Int) -> [String] {
        guard inPool < minimumInPool else { return [] }
        let needed = Int((Double(minimumInPool) / testShare).rounded(.up))
        let advice = "Import more history (at least \(needed) resolved, assigned tickets, so that \(minimumInPool) or more are tested) "
            + "and replay again."
        let counts = "\(count(tickets, "resolved ticket")), \(testTickets) tested, \(inPool) with their assignee in the candidate pool"
        guard inPool > 0 else {
            return ["Too little history to measure anything: \(counts). \(advice)"]
        }
        let margin = Int((98 / Double(inPool).squareRoot()).rounded())
        return ["Too little history for these figures to mean much: \(counts) (fewer than \(minimumInPool)); a rate over "
            + "\(count(inPool, "ticket")) can be off by ±\(margin) percentage points (95% interval). \(advice)"]
    }

    private static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
