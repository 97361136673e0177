import Foundation
import Model

/// Turns candidate signals into a ranking: each factor a value in 0...1, weighted by the project's
/// settings, summed into a score in 0...1, explained factor by factor and in plain words.
public enum Ranker {
    /// Ranks `candidates` for `ticket`; returns at most `limit` of them, best first.
    public static func rank(ticket: Ticket, settings: ProjectSettings, candidates: [CandidateSignals], now: Date,
                            limit: Int = 10) -> Ranking {
        let weights = ScoringFactor.allCases.map { settings.weights[$0.rawValue] ?? ScoringFactor.defaultWeights[$0.rawValue] ?? 0 }
        let totalWeight = max(weights.reduce(0, +), 1e-9)
        let maxEffort = candidates.map(\.recentEffort).max() ?? 0

        // Score everyone cheaply; explain only the candidates that are returned.
        struct Scored {
            let signals: CandidateSignals
            let availability: Availability.Result
            let workload: (value: Double, load: Double, capacity: Double)
            let values: [Double]
            let score: Double
        }
        var all: [Scored] = []
        all.reserveCapacity(candidates.count)
        for signals in candidates {
            let availability = Availability.evaluate(signals.person, ticket: ticket, now: now)
            let workload = Workload.value(open: signals.openWork, person: signals.person, now: now, staleDays: settings.staleDays)
            let fairness = maxEffort > 0 ? 1 - signals.recentEffort / maxEffort : 1
            // In ScoringFactor.allCases order.
            let values = [clamp(signals.skillFit), clamp(signals.similarWork), workload.value, availability.value,
                          clamp(fairness), clamp(signals.recentActivity)]
            var score = 0.0
            for (value, weight) in zip(values, weights) { score += weight * value / totalWeight }
            all.append(Scored(signals: signals, availability: availability, workload: workload, values: values, score: score))
        }
        all.sort { $0.score != $1.score ? $0.score > $1.score : $0.signals.person.id < $1.signals.person.id }
        var scored: [(candidate: RankedCandidate, signals: CandidateSignals, availability: Availability.Result)] = []
        for entry in all.prefix(limit) {
            var factors: [String: RankedCandidate.Factor] = [:]
            for (index, factor) in ScoringFactor.allCases.enumerated() {
                let contribution = weights[index] * entry.values[index] / totalWeight
                factors[factor.rawValue] = .init(value: round4(entry.values[index]), weight: weights[index], contribution: round4(contribution))
            }
            let reasons = Reasons.strengths(signals: entry.signals, availability: entry.availability, load: entry.workload)
            scored.append((RankedCandidate(person: entry.signals.person.id, score: round4(entry.score), factors: factors, reasons: reasons),
                           entry.signals, entry.availability))
        }
        if let winner = scored.first {
            for index in scored.indices.dropFirst() {
                scored[index].candidate.reasons += Reasons.whyLost(scored[index].candidate, against: winner.candidate,
                                                                   winnerName: winner.signals.person.displayName)
            }
        }
        let top = Array(scored.prefix(limit))
        let first = top.first?.candidate.score ?? 0
        let second = top.count > 1 ? top[1].candidate.score : 0
        let confidence = first > 0 ? round4((first - second) / first) : 0

        // Nobody fits: everyone away, or no one with any skill or history match.
        let anyFit = top.contains { !$0.availability.awayToday && ($0.signals.skillFit > 0 || $0.signals.similarWork > 0 || $0.signals.recentActivity > 0) }
        guard let best = top.first, anyFit else {
            if let fallback = settings.defaultAssignee {
                return Ranking(candidates: top.map(\.candidate), confidence: 0, action: .fallback, assignee: fallback,
                               note: "nobody fits (everyone away or no skill match): falling back to the project's default assignee")
            }
            return Ranking(candidates: top.map(\.candidate), confidence: 0, action: .unassigned, assignee: nil,
                           note: "nobody fits (everyone away or no skill match) and the project has no default assignee: leaving it unassigned")
        }
        if settings.autoAssign {
            if best.availability.awayToday {
                return Ranking(candidates: top.map(\.candidate), confidence: confidence, action: .suggest, assignee: nil,
                               note: "the best candidate is away today, so this is only a suggestion")
            }
            if best.signals.person.optedOut {
                return Ranking(candidates: top.map(\.candidate), confidence: confidence, action: .suggest, assignee: nil,
                               note: "the best candidate opted out of automatic assignment, so this is only a suggestion")
            }
            if confidence >= settings.confidenceThreshold {
                return Ranking(candidates: top.map(\.candidate), confidence: confidence, action: .assign, assignee: best.candidate.person,
                               note: "confident (\(percent(confidence)) margin, threshold \(percent(settings.confidenceThreshold))): assigning automatically")
            }
            return Ranking(candidates: top.map(\.candidate), confidence: confidence, action: .suggest, assignee: nil,
                           note: "not confident enough to assign (\(percent(confidence)) margin, threshold \(percent(settings.confidenceThreshold))): suggesting the top 3")
        }
        return Ranking(candidates: top.map(\.candidate), confidence: confidence, action: .suggest, assignee: nil,
                       note: "auto-assign is off: suggesting the top 3")
    }

    static func clamp(_ value: Double) -> Double { value.isFinite ? min(1, max(0, value)) : 0 }
    static func round4(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
    static func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }
}
