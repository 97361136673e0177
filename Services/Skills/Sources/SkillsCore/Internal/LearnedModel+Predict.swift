import Foundation

extension LearnedModel {
    /// One target's score and the terms that supported it most.
    struct Prediction {
        var target: String
        var weight: Double
        var evidence: [String]
    }

    /// At most this many of a ticket's terms, the most informative, are used.
    static let maxTermsPerPrediction = 64

    /// Scores every target for a ticket's terms.
    ///
    /// Per known term t (seen in at least `minTermCount` tickets) the smoothed conditional
    /// P(c | t) = (n(t, c) + m·P(c)) / (n(t) + m) is taken, and the ticket's score for c is the mean of these
    /// weighted by how much each term says about targets at all: the total variation distance between
    /// P(· | t) and P(·). Words that appear everywhere (`fix`, `able`) weigh almost nothing; `ufunc` or
    /// `quorum` weigh a lot. The result is a probability in 0...1 that does not grow with the amount of
    /// history. Counts are recency-weighted (see `LearnedModel`). Only the `maxTermsPerPrediction` most
    /// informative terms of a ticket are used, which bounds the cost of long descriptions.
    /// Whether anything was learned that a prediction could return.
    var canPredict: Bool { ticketCount > 0 && totalWeight > 0 && !targets.isEmpty }

    mutating func predict(_ extractor: TermExtractor, limit: Int) -> [Prediction] {
        guard canPredict, limit > 0 else { return [] }
        // Weights are in units of the current scale; the smoothing pseudo-count is in tickets.
        let smoothing = configuration.smoothing * scale
        var candidates: [(id: Int32, weight: Double)] = []
        for term in extractor.terms {
            guard let id = termIDs[term.hash], termCounts[Int(id)] >= Int32(configuration.minTermCount) else { continue }
            let distance = informativeness(id, smoothing: smoothing)
            if distance > 0 { candidates.append((id, distance)) }
        }
        if candidates.count > Self.maxTermsPerPrediction {
            candidates.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.id < $1.id }
            candidates.removeSubrange(Self.maxTermsPerPrediction...)
        }
        let known = candidates
        var weightSum = 0.0
        var priorMass = 0.0
        for (id, weight) in known {
            weightSum += weight
            priorMass += weight * smoothing / (termWeights[Int(id)] + smoothing)
        }
        guard weightSum > 0 else { return [] }
        var mass = [Double](repeating: 0, count: targets.count)
        for (id, weight) in known {
            let factor = weight / (termWeights[Int(id)] + smoothing)
            for pair in termPairs[Int(id)] { mass[Int(pairTargets[Int(pair)])] += factor * pairWeights[Int(pair)] }
        }
        var scored: [(target: Int, score: Double)] = []
        for target in targets.indices where targetWeights[target] > 0 {
            let prior = targetWeights[target] / totalWeight
            scored.append((target, (mass[target] + prior * priorMass) / weightSum))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : targets[$0.target] < targets[$1.target] }
        let top = Array(scored.prefix(limit))
        let evidence = self.evidence(for: top.map { Int32($0.target) }, known: known, smoothing: smoothing)
        return top.enumerated().map { position, entry in
            Prediction(target: targets[entry.target], weight: min(1, (entry.score * 1000).rounded() / 1000),
                       evidence: evidence[position])
        }
    }

    /// The total variation distance between P(· | term) and P(·): how much the term says about targets.
    /// Cached per term and recomputed once the history has grown by 2% since.
    private mutating func informativeness(_ id: Int32, smoothing: Double) -> Double {
        let stamp = termDistanceStamps[Int(id)]
        if stamp >= 0, (ticketCount - Int(stamp)) * 50 <= ticketCount { return Double(termDistances[Int(id)]) }
        let frequency = termWeights[Int(id)]
        let shrink = smoothing / (frequency + smoothing)
        var distance = 0.0
        var pairedPrior = 0.0
        for pair in termPairs[Int(id)] {
            let prior = targetWeights[Int(pairTargets[Int(pair)])] / totalWeight
            let conditional = (pairWeights[Int(pair)] + smoothing * prior) / (frequency + smoothing)
            distance += abs(conditional - prior)
            pairedPrior += prior
        }
        // Targets never seen with the term: P(c | t) = shrink · P(c).
        if targetMassStamp != ticketCount {
            targetMass = targetWeights.reduce(0, +) / totalWeight
            targetMassStamp = ticketCount
        }
        distance += (1 - shrink) * max(0, targetMass - pairedPrior)
        termDistances[Int(id)] = Float(distance)
        termDistanceStamps[Int(id)] = Int32(clamping: ticketCount)
        return distance
    }

    /// For each of `chosen` targets, the three terms contributing most, in one pass over the terms' pairs.
    private func evidence(for chosen: [Int32], known: [(id: Int32, weight: Double)], smoothing: Double) -> [[String]] {
        var slotOf = [Int32](repeating: -1, count: targets.count)
        for (slot, target) in chosen.enumerated() { slotOf[Int(target)] = Int32(slot) }
        var best = [[(term: Int32, value: Double)]](repeating: [], count: chosen.count)
        for (id, weight) in known {
            let factor = weight / (termWeights[Int(id)] + smoothing)
            for pair in termPairs[Int(id)] {
                let slot = Int(slotOf[Int(pairTargets[Int(pair)])])
                guard slot >= 0 else { continue }
                let value = factor * pairWeights[Int(pair)]
                var list = best[slot]
                guard list.count < 3 || value > list[2].value else { continue }
                if list.count == 3 { list.removeLast() }
                let position = list.firstIndex { $0.value < value } ?? list.count
                list.insert((id, value), at: position)
                best[slot] = list
            }
        }
        return best.map { list in list.map { termTexts[Int($0.term)] } }
    }
}
