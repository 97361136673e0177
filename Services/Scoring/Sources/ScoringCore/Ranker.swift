import Foundation
import Model

/// Turns candidate signals into a ranking: each factor a value in 0...1, weighted by the project's
/// settings, summed into a score in 0...1, explained factor by factor and in plain words.
public enum Ranker {
    /// Ranks `candidates` for `ticket`; returns at most `limit` of them, best first.
    /// Without `explain` the candidates carry factors but no reasons in words (replays, what-if, benchmarks).
    public static func rank(ticket: Ticket, settings: ProjectSettings, candidates: [CandidateSignals], now: Date,
                            limit: Int = 10, explain: Bool = true) -> Ranking {
        let weights = ScoringFactor.allCases.map { settings.weights[$0.rawValue] ?? ScoringFactor.defaultWeights[$0.rawValue] ?? 0 }
        let totalWeight = max(weights.reduce(0, +), 1e-9)
        let maxEffort = candidates.map(\.recentEffort).max() ?? 0

        // Score everyone cheaply (arrays, no per-candidate allocation); explain only the ones returned.
        let count = candidates.count
        var values = [Double](repeating: 0, count: count * factorCount)
        var scores = [Double](repeating: 0, count: count)
        var availabilities: [Availability.Result] = []
        var workloads: [(value: Double, load: Double, capacity: Double)] = []
        availabilities.reserveCapacity(count)
        workloads.reserveCapacity(count)
        for (index, signals) in candidates.enumerated() {
            let availability = Availability.evaluate(signals.person, ticket: ticket, now: now)
            let workload = Workload.value(open: signals.openWork, person: signals.person, now: now, staleDays: settings.staleDays)
            let fairness = maxEffort > 0 ? 1 - signals.recentEffort / maxEffort : 1
            // In ScoringFactor.allCases order.
            let base = index * factorCount
            values[base] = clamp(signals.skillFit)
            values[base + 1] = clamp(signals.similarWork)
            values[base + 2] = workload.value
            values[base + 3] = availability.value
            values[base + 4] = clamp(fairness)
            values[base + 5] = clamp(signals.recentActivity)
            var score = 0.0
            for factor in 0..<factorCount { score += weights[factor] * values[base + factor] / totalWeight }
            scores[index] = score
            availabilities.append(availability)
            workloads.append(workload)
        }
        let order = topIndexes(scores, candidates: candidates, limit: limit)
        var scored: [(candidate: RankedCandidate, signals: CandidateSignals, availability: Availability.Result)] = []
        var factorLists: [[RankedCandidate.Factor]] = []   // each candidate's factors in ScoringFactor.allCases order
        scored.reserveCapacity(order.count)
        factorLists.reserveCapacity(order.count)
        for index in order {
            let signals = candidates[index]
            var list: [RankedCandidate.Factor] = []
            list.reserveCapacity(factorCount)
            var factors: [String: RankedCandidate.Factor] = Dictionary(minimumCapacity: factorCount)
            for (factorIndex, name) in factorNames.enumerated() {
                let value = values[index * factorCount + factorIndex]
                let factor = RankedCandidate.Factor(value: round4(value), weight: weights[factorIndex],
                                                    contribution: round4(weights[factorIndex] * value / totalWeight))
                factors[name] = factor
                list.append(factor)
            }
            let reasons = explain ? Reasons.strengths(signals: signals, availability: availabilities[index], load: workloads[index]) : []
            scored.append((RankedCandidate(person: signals.person.id, score: round4(scores[index]), factors: factors, reasons: reasons),
                           signals, availabilities[index]))
            factorLists.append(list)
        }
        if explain, let winner = scored.first {
            for index in scored.indices.dropFirst() {
                scored[index].candidate.reasons += Reasons.whyLost(factorLists[index], against: factorLists[0],
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

    static let factorCount = ScoringFactor.allCases.count
    static let factorNames = ScoringFactor.allCases.map(\.rawValue)

    /// The indexes of the `limit` best scores, best first (ties by person id), without sorting everyone.
    static func topIndexes(_ scores: [Double], candidates: [CandidateSignals], limit: Int) -> [Int] {
        let limit = max(0, limit)
        var top: [Int] = []
        top.reserveCapacity(limit + 1)
        func better(_ a: Int, _ b: Int) -> Bool {
            scores[a] != scores[b] ? scores[a] > scores[b] : candidates[a].person.id < candidates[b].person.id
        }
        for index in scores.indices {
            if top.count == limit, let last = top.last, !better(index, last) { continue }
            var position = top.count
            while position > 0, better(index, top[position - 1]) { position -= 1 }
            top.insert(index, at: position)
            if top.count > limit { top.removeLast() }
        }
        return top
    }

    static func clamp(_ value: Double) -> Double { value.isFinite ? min(1, max(0, value)) : 0 }
    static func round4(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
    static func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }
}
