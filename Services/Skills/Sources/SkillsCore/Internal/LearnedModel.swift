import Foundation

/// The counts behind `LearnedSkills`: per term its document frequency and, per target (a component or
/// label), how many tickets had both. Updated one ticket at a time.
///
/// Counts are recency-weighted: the n-th learned ticket adds `growth^n` (growth = 2^(1/halfLife)), so a
/// ticket counts half as much as one learned `halfLife` tickets later. Only ratios of counts are used, so
/// the growing scale cancels; it is folded back into the counts before it overflows. Raw integer counts
/// are kept for the minimum-count filter and for pruning.
///
/// A term's pairs (target and weight) sit in one contiguous row in the order they were first seen, so a
/// prediction reads them in sequence rather than chasing pair ids across the whole model.
struct LearnedModel {
    /// One (term, target) count: the target and the recency-weighted number of tickets with both.
    struct Pair {
        var target: Int32
        var weight: Double
    }

    var configuration: LearnedSkills.Configuration
    var ticketCount = 0
    /// The weight the next learned ticket adds.
    var scale = 1.0
    /// The sum of all learned tickets' weights.
    var totalWeight = 0.0

    var targetIDs: [String: Int32] = [:]
    var targets: [String] = []
    var targetWeights: [Double] = []

    var termIDs = KeyTable()
    var termHashes: [UInt64] = []
    var termTexts: [String] = []
    var termCounts: [Int32] = []  // 0 marks a free slot
    var termWeights: [Double] = []
    /// Each term's pairs.
    var termPairs: [[Pair]] = []
    var freeTerms: [Int32] = []
    /// Each term's cached informativeness (see `predict`) and the ticket count it was computed at.
    var termDistances: [Float] = []
    var termDistanceStamps: [Int32] = []
    /// The share of tickets with any target, and the ticket count it was computed at.
    var targetMass = 0.0
    var targetMassStamp = -1

    /// (term << 32 | target) → the pair's position in the term's row.
    var pairIDs = KeyTable()
    private(set) var livePairs = 0

    init(configuration: LearnedSkills.Configuration) {
        self.configuration = configuration
    }

    var liveTerms: Int { termHashes.count - freeTerms.count }

    /// The `pairIDs` key of a (term, target) pair.
    @inline(__always)
    static func pairKey(term: Int32, target: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: term)) << 32 | UInt64(UInt32(bitPattern: target))
    }

    /// The id of a target, creating it (unless there are too many already).
    mutating func target(_ name: String) -> Int32? {
        if let id = targetIDs[name] { return id }
        guard targets.count < configuration.maxTargets else { return nil }
        let id = Int32(targets.count)
        targetIDs[name] = id
        targets.append(name)
        targetWeights.append(0)
        return id
    }

    /// Counts one ticket's distinct terms against its targets.
    mutating func learn(_ extractor: TermExtractor, targets ticketTargets: [Int32]) {
        let weight = scale
        ticketCount += 1
        totalWeight += weight
        for target in ticketTargets { targetWeights[Int(target)] += weight }
        for term in extractor.terms {
            let id = termID(term, extractor)
            termCounts[Int(id)] += 1
            termWeights[Int(id)] += weight
            for target in ticketTargets { add(term: id, target: target, weight: weight) }
        }
        if configuration.halfLife > 0 { scale *= pow(2, 1 / Double(configuration.halfLife)) }
        if scale > 1e100 { normalize() }
        if liveTerms > configuration.maxTerms || livePairs > configuration.maxPairs { prune() }
    }

    /// Adds `weight` to a pair, creating it when new.
    mutating func add(term: Int32, target: Int32, weight: Double) {
        let key = Self.pairKey(term: term, target: target)
        let position = pairIDs.value(key)
        if position >= 0 {
            termPairs[Int(term)][Int(position)].weight += weight
        } else {
            pairIDs[key] = Int32(termPairs[Int(term)].count)
            termPairs[Int(term)].append(Pair(target: target, weight: weight))
            livePairs += 1
        }
    }

    /// Divides every weight by `scale`, so the next ticket weighs 1 again.
    mutating func normalize() {
        let factor = 1 / scale
        totalWeight *= factor
        for index in targetWeights.indices { targetWeights[index] *= factor }
        for index in termWeights.indices { termWeights[index] *= factor }
        for term in termPairs.indices {
            for index in termPairs[term].indices { termPairs[term][index].weight *= factor }
        }
        scale = 1
    }

    private mutating func termID(_ term: TermExtractor.Term, _ extractor: TermExtractor) -> Int32 {
        if let id = termIDs[term.hash] { return id }
        let text = extractor.text(of: term)
        let id: Int32
        if let free = freeTerms.popLast() {
            id = free
            termHashes[Int(id)] = term.hash
            termTexts[Int(id)] = text
            termCounts[Int(id)] = 0
            termWeights[Int(id)] = 0
            termPairs[Int(id)] = []
            termDistanceStamps[Int(id)] = -1
        } else {
            id = Int32(termHashes.count)
            termHashes.append(term.hash)
            termTexts.append(text)
            termCounts.append(0)
            termWeights.append(0)
            termPairs.append([])
            termDistances.append(0)
            termDistanceStamps.append(-1)
        }
        termIDs[term.hash] = id
        return id
    }

    /// Drops the rarest terms (and their pairs) until at most 3/4 of each limit is used: each round removes
    /// every term seen in as few tickets as the rarest one left.
    mutating func prune() {
        while liveTerms > configuration.maxTerms * 3 / 4 || livePairs > configuration.maxPairs * 3 / 4 {
            var rarest = Int32.max
            for count in termCounts where count > 0 && count < rarest { rarest = count }
            guard rarest < Int32.max else { return }
            for id in termCounts.indices where termCounts[id] > 0 && termCounts[id] <= rarest {
                remove(term: Int32(id))
            }
        }
    }

    private mutating func remove(term id: Int32) {
        for pair in termPairs[Int(id)] { pairIDs[Self.pairKey(term: id, target: pair.target)] = nil }
        livePairs -= termPairs[Int(id)].count
        termPairs[Int(id)] = []
        termIDs[termHashes[Int(id)]] = nil
        termCounts[Int(id)] = 0
        termWeights[Int(id)] = 0
        termTexts[Int(id)] = ""
        freeTerms.append(id)
    }
}
