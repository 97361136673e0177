import Foundation
import Model

/// What the scoring service learns from resolved tickets, updated one ticket at a time:
/// an inverted index for similar past work, each person's decayed vocabulary and component
/// ownership, and when each person last resolved something.
///
/// Time decay uses growth instead of decay: a ticket learned at time t gets weight 2^((t - t0)/h),
/// so nothing stored ever needs rescaling; comparisons within one query are unaffected.
public final class HistoryModel: @unchecked Sendable {
    // Mutated only through `learn`; callers serialise access (one model per tenant behind a lock).
    public struct Parameters: Sendable {
        /// Half-life of a resolved ticket's influence on profiles and votes.
        public var halfLifeDays = 180.0
        /// Half-life of recent activity.
        public var activityHalfLifeDays = 30.0
        /// Similar tickets that vote.
        public var neighbours = 50
        /// Terms in more than this share of tickets are ignored (too common to tell people apart).
        public var maxDocumentShare = 0.2
        public init() {}
    }

    private struct Doc {
        let person: Int
        let time: Double
    }

    public let parameters: Parameters
    private var termIDs: [String: Int] = [:]
    private var documentFrequency: [Int] = []
    private var postings: [[(doc: Int32, weight: Float)]] = []
    private var docs: [Doc] = []
    private var personIDs: [String: Int] = [:]
    private(set) public var people: [String] = []
    /// Each term's decayed weight per person (the people's vocabularies, indexed by term).
    private var termProfiles: [[Int: Double]] = []
    private var componentOwnership: [String: [Int: Double]] = [:]
    private var activity: [Double] = []
    private var lastResolved: [Double] = []
    private var origin: Double?
    /// Scratch space for one query: a score per document and the documents touched.
    private var scratchScores: [Double] = []
    private var scratchTouched: [Int32] = []

    public init(parameters: Parameters = Parameters()) { self.parameters = parameters }

    /// Tickets learned so far.
    public var count: Int { docs.count }

    /// When `person` last resolved a ticket, nil if never.
    public func lastResolved(_ person: String) -> Date? {
        guard let index = personIDs[person], lastResolved[index] > 0 else { return nil }
        return Date(timeIntervalSince1970: lastResolved[index])
    }

    /// Learns one resolved ticket and its assignee, at time `resolved`.
    public func learn(title: String, description: String, components: [String], assignee: String, resolved: Date) {
        let time = resolved.timeIntervalSince1970
        if origin == nil { origin = time }
        let person = personIndex(assignee)
        let vector = termVector(title: title, description: description, adding: true)
        let doc = Int32(docs.count)
        docs.append(Doc(person: person, time: time))
        let growth = self.growth(time, halfLifeDays: parameters.halfLifeDays)
        for (term, weight) in vector {
            postings[term].append((doc, Float(weight)))
            termProfiles[term][person, default: 0] += weight * growth
        }
        for component in components { componentOwnership[component, default: [:]][person, default: 0] += growth }
        activity[person] += self.growth(time, halfLifeDays: parameters.activityHalfLifeDays)
        lastResolved[person] = max(lastResolved[person], time)
    }

    /// Raw learned signals for `candidates` (person ids) for a ticket seen at time `now`;
    /// each signal is normalised to 0...1 over the candidates.
    public func signals(title: String, description: String, components: [String], candidates: [String], now: Date)
        -> [String: (similarWork: Double, skillFit: Double, recentActivity: Double, similarTickets: Int)]
    {
        let time = now.timeIntervalSince1970
        let query = termVector(title: title, description: description, adding: false)
        let candidateIndexes = candidates.compactMap { personIDs[$0] }
        let maxDocs = max(1.0, Double(docs.count) * parameters.maxDocumentShare)

        // Similar past work: cosine-like overlap weighted by idf², the top neighbours vote, decayed by age.
        if scratchScores.count < docs.count { scratchScores.append(contentsOf: repeatElement(0, count: docs.count - scratchScores.count)) }
        var weightedQuery: [(Int, Double)] = []
        for (term, weight) in query {
            let df = Double(documentFrequency[term])
            guard df > 0, df <= maxDocs else { continue }
            let idf = log((Double(docs.count) + 1) / (df + 1)) + 1
            weightedQuery.append((term, weight * idf))
            let factor = weight * idf * idf
            for posting in postings[term] {
                let doc = Int(posting.doc)
                if scratchScores[doc] == 0 { scratchTouched.append(posting.doc) }
                scratchScores[doc] += factor * Double(posting.weight)
            }
        }
        // The top neighbours by a bounded min-heap, then their votes decayed by age.
        var heap = TopK(capacity: parameters.neighbours)
        for doc in scratchTouched {
            heap.insert(score: scratchScores[Int(doc)], doc: doc)
            scratchScores[Int(doc)] = 0
        }
        scratchTouched.removeAll(keepingCapacity: true)
        var votes = [Double](repeating: 0, count: people.count)
        var counts = [Int](repeating: 0, count: people.count)
        for (score, doc) in heap.entries {
            let document = docs[Int(doc)]
            let ageDays = max(0, time - document.time) / 86_400
            votes[document.person] += score * pow(0.5, ageDays / parameters.halfLifeDays / 2)
            counts[document.person] += 1
        }
        // Skill fit: the person's decayed vocabulary against the ticket, plus component ownership.
        var vocabulary = [Double](repeating: 0, count: people.count)
        for (term, weight) in weightedQuery {
            for (person, strength) in termProfiles[term] { vocabulary[person] += weight * strength }
        }
        var ownership = [Double](repeating: 0, count: people.count)
        for component in components {
            for (person, strength) in componentOwnership[component] ?? [:] { ownership[person] += strength }
        }
        // Recent activity, decayed to `now`.
        let nowGrowth = growth(time, halfLifeDays: parameters.activityHalfLifeDays)
        func normalised(_ values: [Double]) -> (Int) -> Double {
            let top = candidateIndexes.map { values[$0] }.max() ?? 0
            return { top > 0 ? values[$0] / top : 0 }
        }
        let vote = normalised(votes), vocab = normalised(vocabulary), own = normalised(ownership)
        let recent = normalised(activity.map { $0 / nowGrowth })
        var result: [String: (Double, Double, Double, Int)] = [:]
        for candidate in candidates {
            guard let person = personIDs[candidate] else {
                result[candidate] = (0, 0, 0, 0)
                continue
            }
            let fit = components.isEmpty ? vocab(person) : 0.5 * vocab(person) + 0.5 * own(person)
            result[candidate] = (vote(person), fit, recent(person), counts[person])
        }
        return result
    }

    private func personIndex(_ id: String) -> Int {
        if let index = personIDs[id] { return index }
        personIDs[id] = people.count
        people.append(id)
        activity.append(0)
        lastResolved.append(0)
        return people.count - 1
    }

    /// Log-scaled term frequencies, unit length; title terms count twice.
    private func termVector(title: String, description: String, adding: Bool) -> [(Int, Double)] {
        var counts: [Int: Double] = [:]
        for (text, boost) in [(title, 2.0), (description, 1.0)] {
            for term in Tokenizer.terms(text) {
                let id: Int
                if let known = termIDs[term] {
                    id = known
                } else if adding {
                    id = termIDs.count
                    termIDs[term] = id
                    documentFrequency.append(0)
                    postings.append([])
                    termProfiles.append([:])
                } else {
                    continue
                }
                counts[id, default: 0] += boost
            }
        }
        if adding { for id in counts.keys { documentFrequency[id] += 1 } }
        var vector = counts.map { ($0.key, 1 + log($0.value)) }
        let norm = sqrt(vector.reduce(0) { $0 + $1.1 * $1.1 })
        if norm > 0 { vector = vector.map { ($0.0, $0.1 / norm) } }
        return vector
    }

    private func growth(_ time: Double, halfLifeDays: Double) -> Double {
        pow(2, (time - (origin ?? time)) / (halfLifeDays * 86_400))
    }
}
