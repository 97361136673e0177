import Foundation

extension LearnedModel {
    /// One target's score and the terms that supported it most.
    struct Prediction {
        var target: String
        var weight: Double
        var evidence: [String]
    }

    /// One known term of a ticket: its hash, id and informativeness.
    struct KnownTerm {
        var hash: UInt64
        var id: Int32
        var weight: Double
    }

    /// At most this many of a ticket's terms, the most informative, are used.
    static let maxTermsPerPrediction = 64
    /// At most this many terms are shown as a prediction's evidence.
    static let maxEvidence = 3

    /// Whether anything was learned that a prediction could return.
    var canPredict: Bool { ticketCount > 0 && totalWeight > 0 && !targets.isEmpty }

    /// Scores every target for a ticket's terms and returns the `limit` best.
    ///
    /// Per known term t (seen in at least `minTermCount` tickets) the smoothed conditional
    /// P(c | t) = (n(t, c) + m·P(c)) / (n(t) + m) is taken, and the ticket's score for c is the mean of these
    /// weighted by how much each term says about targets at all: the total variation distance between
    /// P(· | t) and P(·). Words that appear everywhere (`fix`, `able`) weigh almost nothing; `ufunc` or
    /// `quorum` weigh a lot. The result is a probability in 0...1 that does not grow with the amount of
    /// history. Counts are recency-weighted (see `LearnedModel`). Only the `maxTermsPerPrediction` most
    /// informative terms of a ticket are used, which bounds the cost of long descriptions.
    ///
    /// Cost: one table lookup per distinct term and one pass over the used terms' pairs, which adds up each
    /// target's score and keeps its strongest terms as evidence; the best targets are selected, not sorted,
    /// and the working arrays live in temporary buffers of this call. Predictions whose reported weight is
    /// below `minimumWeight` are left out after the selection of the `limit` best.
    mutating func predict(_ extractor: TermExtractor, limit: Int, minimumWeight: Double = -.infinity) -> [Prediction] {
        guard canPredict, limit > 0 else { return [] }
        // Weights are in units of the current scale; the smoothing pseudo-count is in tickets.
        let smoothing = configuration.smoothing * scale
        let known = knownTerms(extractor.hashes, smoothing: smoothing)
        var weightSum = 0.0
        var priorMass = 0.0
        for term in known {
            weightSum += term.weight
            priorMass += term.weight * smoothing / (termWeights[Int(term.id)] + smoothing)
        }
        guard weightSum > 0 else { return [] }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: known.count) { rowCounts in
            // The rows are scattered over the heap: reading their lengths first, in a loop of independent
            // loads, lets the processor fetch them in parallel rather than one cache miss per row later.
            for (index, term) in known.enumerated() { rowCounts[index] = termPairs[Int(term.id)].count }
            return tally(known, rowCounts: rowCounts, smoothing: smoothing, weightSum: weightSum, priorMass: priorMass,
                         limit: limit, minimumWeight: minimumWeight)
        }
    }

    /// One pass over the known terms' pairs: each target's mass and its `maxEvidence` strongest terms; then
    /// the `limit` best targets of at least `minimumWeight`.
    private func tally(_ known: [KnownTerm], rowCounts: UnsafeMutableBufferPointer<Int>, smoothing: Double, weightSum: Double,
                       priorMass: Double, limit: Int, minimumWeight: Double) -> [Prediction] {
        let width = Self.maxEvidence
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: targets.count) { mass in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: targets.count) { counts in
                withUnsafeTemporaryAllocation(of: (term: Int32, value: Double).self, capacity: targets.count * width) { best in
                    mass.initialize(repeating: 0)
                    counts.initialize(repeating: 0)
                    for (index, term) in known.enumerated() {
                        let factor = term.weight / (termWeights[Int(term.id)] + smoothing)
                        let row = termPairs[Int(term.id)]
                        for position in 0..<rowCounts[index] {
                            let pair = row[position]
                            let target = Int(pair.target)
                            let value = factor * pair.weight
                            mass[target] += value
                            Self.keep(term.id, value, in: best, from: target * width, count: &counts[target], width: width)
                        }
                    }
                    var top = self.best(limit, mass: mass, priorMass: priorMass, weightSum: weightSum)
                    top.removeAll { Self.reported(weight: $0.score) < minimumWeight }
                    return top.map { entry in
                        let base = Int(entry.target) * width
                        let evidence = (0..<Int(counts[Int(entry.target)])).map { termTexts[Int(best[base + $0].term)] }
                        return Prediction(target: targets[Int(entry.target)], weight: Self.reported(weight: entry.score),
                                          evidence: evidence)
                    }
                }
            }
        }
    }

    /// Keeps `(term, value)` among a target's `width` strongest terms, `best[base..<base + count]`, strongest
    /// first; among equal values the earlier term stays ahead.
    @inline(__always)
    private static func keep(_ term: Int32, _ value: Double, in best: UnsafeMutableBufferPointer<(term: Int32, value: Double)>,
                             from base: Int, count: inout Int32, width: Int) {
        var position = Int(count)
        guard position < width || value > best[base + width - 1].value else { return }
        if position == width { position -= 1 }  // the weakest makes room
        else { count += 1 }
        while position > 0, best[base + position - 1].value < value {
            best[base + position] = best[base + position - 1]
            position -= 1
        }
        best[base + position] = (term, value)
    }

    /// A score as reported: at most 1, rounded to three decimals.
    static func reported(weight score: Double) -> Double {
        min(1, (score * 1000).rounded() / 1000)
    }

    /// The ticket's known terms with their informativeness, in the order their sums are taken: by hash, or
    /// when there are more than `maxTermsPerPrediction`, the most informative ones (ties by id).
    private mutating func knownTerms(_ hashes: [UInt64], smoothing: Double) -> [KnownTerm] {
        let minimum = Int32(clamping: configuration.minTermCount)
        var known: [KnownTerm] = []
        known.reserveCapacity(min(hashes.count, 512))
        for hash in hashes {
            let id = termIDs.value(hash)
            guard id >= 0, termCounts[Int(id)] >= minimum else { continue }
            let distance = informativeness(id, smoothing: smoothing)
            if distance > 0 { known.append(KnownTerm(hash: hash, id: id, weight: distance)) }
        }
        if known.count > Self.maxTermsPerPrediction {
            known.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.id < $1.id }
            known.removeSubrange(Self.maxTermsPerPrediction...)
        } else {
            known.sort { $0.hash < $1.hash }
        }
        return known
    }

    /// The `limit` best-scored targets, heaviest first (ties by name): selected in one pass, not sorted.
    private func best(_ limit: Int, mass: UnsafeMutableBufferPointer<Double>, priorMass: Double,
                      weightSum: Double) -> [(target: Int32, score: Double)] {
        var top: [(target: Int32, score: Double)] = []
        top.reserveCapacity(limit + 1)
        func before(_ target: Int32, _ score: Double, _ other: (target: Int32, score: Double)) -> Bool {
            score != other.score ? score > other.score : targets[Int(target)] < targets[Int(other.target)]
        }
        for target in targets.indices where targetWeights[target] > 0 {
            let prior = targetWeights[target] / totalWeight
            let score = (mass[target] + prior * priorMass) / weightSum
            let id = Int32(target)
            if top.count == limit {
                guard before(id, score, top[limit - 1]) else { continue }
                top.removeLast()
            }
            var position = top.count
            while position > 0, before(id, score, top[position - 1]) { position -= 1 }
            top.insert((id, score), at: position)
        }
        return top
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
            let prior = targetWeights[Int(pair.target)] / totalWeight
            let conditional = (pair.weight + smoothing * prior) / (frequency + smoothing)
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
}
