import Foundation
import Model
import SkillsCore

/// What the scoring service learns from resolved tickets, one ticket at a time (no rebuild), and the
/// three learned factors it gives a candidate for a new ticket (docs/scoring-model.md):
///
/// - similarWork: ½ kNN vote over BM25-similar past tickets (votes decayed by the age of the similar
///   ticket) + ½ BM25 of the ticket against each person's decayed vocabulary;
/// - skillFit: the person's decayed share of the ticket's components and labels; tickets without any get
///   the ones the learned skill detector (SkillsCore `LearnedSkills`) predicts, at their weight; or siblings
///   (below), when larger;
/// - recentActivity: ½ burst (the person's share of the team's last few tickets) + ½ presence (days since
///   the person last resolved a ticket), or, when larger, siblings: how close the keys of the tickets the person
///   resolved are numbered to the new ticket's key (tickets filed at about the same time).
///
/// Each signal is divided by its maximum over the candidates. Manual overrides (`learnOverride`) lower a
/// person's skillFit and similarWork for the kinds of tickets they were reassigned away from.
///
/// Storage is arrays indexed by interned term, skill and person ids; decayed values are kept lazily as
/// (value, time of last update). Not thread-safe: callers serialise access (one model per tenant behind a lock).
public final class HistoryModel: @unchecked Sendable {
    /// Every constant of the model, with the values of docs/scoring-model.md.
    public struct Parameters: Sendable, Equatable {
        /// BM25 term-frequency saturation and length normalisation (Robertson/Spärck Jones defaults).
        public var k1 = 1.2
        public var b = 0.75
        /// Similar past tickets that vote.
        public var neighbours = 50
        /// A similar ticket resolved this long ago votes half.
        public var knnHalfLifeDays = 90.0
        /// A person's vocabulary: work this old counts half.
        public var profileHalfLifeDays = 365.0
        /// Component and label ownership fades with this half-life.
        public var skillHalfLifeDays = 365.0
        /// Burst: the person's share of the team's last few tickets (half-life in team tickets).
        public var burstHalfLifeTickets = 5.0
        /// Presence halves per this many days without a resolved ticket.
        public var presenceHalfLifeDays = 30.0
        /// Share of the kNN vote inside similarWork (the rest: vocabulary).
        public var mixKnn = 0.5
        /// Share of burst inside recentActivity (the rest: presence).
        public var mixBurst = 0.5
        /// Terms in more than this share of tickets are skipped (too common to tell people apart).
        public var maxDocumentShare = 0.2
        /// kNN votes are divided by (the person's decayed volume of work, in average tickets) ^ knnLift: a
        /// person who resolved many tickets gets neighbours by volume alone.
        public var knnLift = 0.25
        /// Title terms count this many times (a title summarises the ticket).
        public var titleBoost = 2.0
        /// Use the learned skill detector for tickets without components and labels.
        public var learnedSkills = true
        /// Skills taken from the detector.
        public var detectorLimit = 5
        /// Siblings: a resolved ticket whose key number is this many numbers away from the new ticket's (same
        /// project) counts half; 0 turns siblings off.
        public var siblingHalfLifeNumbers = 5.0
        /// An override counts half after this many days.
        public var overrideHalfLifeDays = 180.0
        /// How hard overrides push: factor multiplier 1 / (1 + strength × decayed overrides away).
        public var overrideStrength = 0.5
        public init() {}
    }

    /// The text a ticket is ranked or learned by.
    public struct TicketText: Sendable {
        /// The ticket's key (`PROJECT-123`); only a Jira-style key with a number gives siblings.
        public var key: String
        public var title: String
        public var description: String
        public var components: [String]
        public var labels: [String]
        public init(key: String = "", title: String, description: String = "", components: [String] = [], labels: [String] = []) {
            self.key = key
            self.title = title
            self.description = description
            self.components = components
            self.labels = labels
        }
        public init(_ ticket: Ticket) {
            self.init(key: ticket.key, title: ticket.title, description: ticket.description, components: ticket.components,
                      labels: ticket.labels)
        }
        public init(_ record: HistoryRecord) {
            self.init(key: record.key, title: record.title, description: record.description, components: record.components,
                      labels: record.labels)
        }
    }

    /// The learned factors of one candidate, each in 0...1, with the evidence for the explanation.
    public struct Signals: Sendable, Equatable {
        public var similarWork = 0.0
        public var skillFit = 0.0
        public var recentActivity = 0.0
        /// Similar past tickets among the voting neighbours that the person resolved.
        public var similarTickets = 0
        /// The ticket's skills (components, labels, detected) the person has worked on.
        public var matchedSkills: [String] = []
        /// The person's sibling evidence in 0...1: tickets filed right next to this one (by key number) that they resolved.
        public var siblings = 0.0
    }

    /// A decayed value: `value` as of time `stamp`.
    struct Decayed {
        var value: Double
        var stamp: Double
        @inline(__always) func at(_ time: Double, halfLife: Double) -> Double {
            value * exp2(-max(0, time - stamp) / halfLife)
        }
        @inline(__always) mutating func add(_ amount: Double, at time: Double, halfLife: Double) {
            value = at(time, halfLife: halfLife) + amount
            stamp = max(stamp, time)
        }
    }

    /// One person's decayed weight in a per-term or per-skill list.
    struct Entry {
        var person: Int32
        var decayed: Decayed
    }

    /// A learned ticket's key number and resolver, in a project's list sorted by number.
    struct Numbered {
        var number: Int
        var person: Int32
    }

    struct Posting {
        var doc: Int32
        var weight: Float
    }

    /// Per-key lists of person entries, with an index to find a (key, person) entry when learning.
    struct PersonTable {
        var lists: [[Entry]] = []
        var slots: [Int64: Int32] = [:]

        mutating func ensure(_ key: Int) {
            while lists.count <= key { lists.append([]) }
        }

        mutating func add(key: Int, person: Int, amount: Double, time: Double, halfLife: Double) {
            ensure(key)
            let slotKey = Int64(key) << 24 | Int64(person)
            if let slot = slots[slotKey] {
                lists[key][Int(slot)].decayed.add(amount, at: time, halfLife: halfLife)
            } else {
                slots[slotKey] = Int32(lists[key].count)
                lists[key].append(Entry(person: Int32(person), decayed: Decayed(value: amount, stamp: time)))
            }
        }

        func value(key: Int, person: Int, at time: Double, halfLife: Double) -> Double {
            guard let slot = slots[Int64(key) << 24 | Int64(person)] else { return 0 }
            return lists[key][Int(slot)].decayed.at(time, halfLife: halfLife)
        }
    }

    public let parameters: Parameters
    private let day = 86_400.0

    // Terms and the BM25 index of past tickets.
    private var termIDs: [Tokenizer.Term: Int32] = [:]
    private var documentFrequency: [Int32] = []
    private var postings: [[Posting]] = []
    private var docPerson: [Int32] = []
    private var docTime: [Double] = []
    private var totalLength = 0.0

    // People.
    private var personIDs: [String: Int] = [:]
    private(set) public var people: [String] = []
    private var vocabulary = PersonTable()        // term -> person -> decayed term frequency
    private var vocabularyLength: [Decayed] = []  // person -> decayed length
    private var lastResolvedTime: [Double] = []
    private var burst: [Decayed] = []             // stamp in team tickets learned
    private var ticketsLearned = 0.0
    private var numbered: [String: [Numbered]] = [:]  // project -> learned tickets by key number

    // Skills (components and labels).
    private var skillIDs: [String: Int] = [:]
    private var skillNames: [String] = []
    private var skillDocuments: [Int] = []
    private var skillTotal: [Decayed] = []
    private var ownership = PersonTable()         // skill -> person -> decayed count
    private var overrides = PersonTable()         // kind (skill id, or 0 for any) -> person -> decayed overrides away
    private let detector: LearnedSkills

    // Scratch space for one query.
    private var scratchScores: [Double] = []
    private var scratchTouched: [Int32] = []

    public init(parameters: Parameters = Parameters(), detector: LearnedSkills = LearnedSkills()) {
        self.parameters = parameters
        self.detector = detector
        _ = skillIndex("*")   // kind 0: any ticket (for overrides of tickets without skills)
    }

    /// Tickets learned so far (with an assignee).
    public var count: Int { docPerson.count }

    /// When `person` last resolved a ticket, nil if never.
    public func lastResolved(_ person: String) -> Date? {
        guard let index = personIDs[person], lastResolvedTime[index] > -1e300 else { return nil }
        return Date(timeIntervalSince1970: lastResolvedTime[index])
    }

    // MARK: Learning

    /// Learns one resolved ticket at time `resolved`; without an assignee only the skill detector learns it.
    public func learn(_ ticket: TicketText, assignee: String?, resolved: Date) {
        let time = resolved.timeIntervalSince1970
        let skills = Self.skillNames(components: ticket.components, labels: ticket.labels)
        detector.learn(title: ticket.title, description: ticket.description, components: ticket.components, labels: ticket.labels)
        guard let assignee, !assignee.isEmpty else { return }
        let person = personIndex(assignee)
        let frequencies = termFrequencies(ticket, adding: true)
        let length = frequencies.reduce(0) { $0 + $1.1 }
        let doc = Int32(docPerson.count)
        docPerson.append(Int32(person))
        docTime.append(time)
        totalLength += length
        let averageLength = totalLength / Double(docPerson.count)
        let k1 = parameters.k1, b = parameters.b
        let norm = k1 * (1 - b + b * length / max(averageLength, 1e-9))
        let profileHalfLife = parameters.profileHalfLifeDays * day
        for (term, frequency) in frequencies {
            documentFrequency[Int(term)] += 1
            postings[Int(term)].append(Posting(doc: doc, weight: Float(frequency * (k1 + 1) / (frequency + norm))))
            vocabulary.add(key: Int(term), person: person, amount: frequency, time: time, halfLife: profileHalfLife)
        }
        vocabularyLength[person].add(length, at: time, halfLife: profileHalfLife)
        lastResolvedTime[person] = max(lastResolvedTime[person], time)
        ticketsLearned += 1
        burst[person].add(1, at: ticketsLearned, halfLife: parameters.burstHalfLifeTickets)
        if let (project, number) = Self.keyNumber(ticket.key) {
            let index = Self.firstIndex(in: numbered[project] ?? [], atLeast: number + 1)
            numbered[project, default: []].insert(Numbered(number: number, person: Int32(person)), at: index)
        }
        let skillHalfLife = parameters.skillHalfLifeDays * day
        for name in skills {
            let skill = skillIndex(name)
            skillDocuments[skill] += 1
            skillTotal[skill].add(1, at: time, halfLife: skillHalfLife)
            ownership.add(key: skill, person: person, amount: 1, time: time, halfLife: skillHalfLife)
        }
    }

    /// Learns a manual override: the ticket was reassigned away from `from`, at `time`. The person loses
    /// weight for the ticket's kinds (its components and labels, or the detected ones, and "any ticket").
    public func learnOverride(_ ticket: TicketText, from: String, at time: Date) {
        guard !from.isEmpty else { return }
        let person = personIndex(from)
        let halfLife = parameters.overrideHalfLifeDays * day
        let seconds = time.timeIntervalSince1970
        overrides.add(key: 0, person: person, amount: 1, time: seconds, halfLife: halfLife)
        for (name, _) in ticketSkills(ticket) {
            overrides.add(key: skillIndex(name), person: person, amount: 1, time: seconds, halfLife: halfLife)
        }
    }

    // MARK: Ranking

    /// The learned factors for each of `candidates` (person ids; unknown people get zeros) for `ticket`
    /// seen at time `now`, in the order of `candidates`. Each signal is normalised to 0...1 over them.
    public func signals(for ticket: TicketText, candidates: [String], now: Date) -> [Signals] {
        let time = now.timeIntervalSince1970
        let indexes = candidates.map { personIDs[$0] ?? -1 }
        var inPool = [Bool](repeating: false, count: people.count)
        for index in indexes where index >= 0 { inPool[index] = true }
        let pool = indexes.filter { $0 >= 0 }
        guard !pool.isEmpty else { return candidates.map { _ in Signals() } }

        let query = weightedQuery(ticket)
        var (knn, similarCounts) = neighbourVotes(query, inPool: inPool, time: time)
        if parameters.knnLift > 0, !docPerson.isEmpty {
            let averageLength = max(totalLength / Double(docPerson.count), 1e-9)
            let halfLife = parameters.profileHalfLifeDays * day
            for person in pool where knn[person] > 0 {
                let volume = vocabularyLength[person].at(time, halfLife: halfLife) / averageLength
                knn[person] /= pow(max(1, volume), parameters.knnLift)
            }
        }
        var vocab = vocabularyScores(query, pool: pool, inPool: inPool, time: time)
        let skills = ticketSkills(ticket)
        var skill = skillShares(skills, inPool: inPool, time: time)
        var bursts = [Double](repeating: 0, count: people.count)
        for person in pool { bursts[person] = burst[person].at(ticketsLearned, halfLife: parameters.burstHalfLifeTickets) }
        normalise(&knn, pool)
        normalise(&vocab, pool)
        normalise(&skill, pool)
        // Detected skills are guesses: the factor's range shrinks to the confidence of the surest one.
        let certainty = skills.map(\.confidence).max() ?? 0
        if certainty < 1 { for person in pool { skill[person] *= certainty } }
        normalise(&bursts, pool)
        let penalties = overridePenalties(skills, pool: pool, time: time)
        let siblings = siblingVotes(ticket.key, inPool: inPool)

        let presenceHalfLife = parameters.presenceHalfLifeDays * day
        let known = skills.compactMap { name, _ in skillIDs[name].map { ($0, Self.displayName(name)) } }
        return indexes.map { person -> Signals in
            guard person >= 0 else { return Signals() }
            let presence = exp2(-max(0, time - lastResolvedTime[person]) / presenceHalfLife)
            let keep = 1 / (1 + parameters.overrideStrength * penalties[person])
            var signals = Signals()
            signals.similarWork = keep * (parameters.mixKnn * knn[person] + (1 - parameters.mixKnn) * vocab[person])
            signals.skillFit = keep * skill[person]
            signals.recentActivity = parameters.mixBurst * bursts[person] + (1 - parameters.mixBurst) * presence
            if !siblings.isEmpty {
                // Tickets filed alongside: the person was at work then, and on this piece of work.
                signals.recentActivity = max(signals.recentActivity, siblings[person])
                signals.skillFit = keep * max(skill[person], siblings[person])
                signals.siblings = siblings[person]
            }
            signals.similarTickets = similarCounts[person]
            if skill[person] > 0 {
                signals.matchedSkills = known.compactMap { id, name in
                    ownership.value(key: id, person: person, at: time, halfLife: 1e12) > 0 ? name : nil
                }
            }
            return signals
        }
    }

    /// (term, BM25 query weight) for the ticket's known terms that are rare enough to tell people apart.
    private func weightedQuery(_ ticket: TicketText) -> [(term: Int, weight: Double)] {
        let documents = Double(docPerson.count)
        let maxDocuments = parameters.maxDocumentShare * documents
        let k1 = parameters.k1
        return termFrequencies(ticket, adding: false).compactMap { term, frequency in
            let df = Double(documentFrequency[Int(term)])
            guard df > 0, df <= maxDocuments else { return nil }
            let idf = log(1 + (documents - df + 0.5) / (df + 0.5))
            return (Int(term), idf * frequency * (k1 + 1) / (frequency + k1))
        }
    }

    /// kNN: the top `neighbours` past tickets by BM25 vote for their resolver, each vote its similarity
    /// relative to the best neighbour, decayed by the neighbour's age.
    private func neighbourVotes(_ query: [(term: Int, weight: Double)], inPool: [Bool], time: Double) -> ([Double], [Int]) {
        // The scratch arrays are moved out of `self` for the loop (no exclusivity checks per posting).
        var scores = scratchScores
        var touched = scratchTouched
        scratchScores = []
        scratchTouched = []
        if scores.count < docPerson.count { scores.append(contentsOf: repeatElement(0, count: docPerson.count - scores.count)) }
        var heap = TopK(capacity: parameters.neighbours)
        scores.withUnsafeMutableBufferPointer { scores in
            for (term, weight) in query {
                postings[term].withUnsafeBufferPointer { list in
                    for posting in list {
                        let doc = Int(posting.doc)
                        if scores[doc] == 0 { touched.append(posting.doc) }
                        scores[doc] += weight * Double(posting.weight)
                    }
                }
            }
            for doc in touched {
                heap.insert(score: scores[Int(doc)], doc: doc)
                scores[Int(doc)] = 0
            }
        }
        touched.removeAll(keepingCapacity: true)
        scratchScores = scores
        scratchTouched = touched
        var votes = [Double](repeating: 0, count: people.count)
        var counts = [Int](repeating: 0, count: people.count)
        let best = heap.entries.map(\.score).max() ?? 0
        guard best > 0 else { return (votes, counts) }
        let halfLife = parameters.knnHalfLifeDays * day
        for (score, doc) in heap.entries {
            let person = Int(docPerson[Int(doc)])
            guard inPool[person] else { continue }
            votes[person] += score / best * exp2(-max(0, time - docTime[Int(doc)]) / halfLife)
            counts[person] += 1
        }
        return (votes, counts)
    }

    /// Siblings: for a key `PROJECT-N`, each person's sum of 2^(−|N − n| / h) over the learned tickets numbered n
    /// they resolved in that project, at most 1 (a ticket filed right next to this one is full evidence). Empty when
    /// the key has no number or siblings are off.
    private func siblingVotes(_ key: String, inPool: [Bool]) -> [Double] {
        let halfLife = parameters.siblingHalfLifeNumbers
        guard halfLife > 0, let (project, number) = Self.keyNumber(key), let list = numbered[project] else { return [] }
        var votes = [Double](repeating: 0, count: people.count)
        let reach = Int((20 * halfLife).rounded(.up))   // further siblings count less than 2^-20
        var index = Self.firstIndex(in: list, atLeast: number - reach)
        while index < list.count, list[index].number <= number + reach {
            let person = Int(list[index].person)
            if inPool[person] { votes[person] += exp2(-Double(abs(number - list[index].number)) / halfLife) }
            index += 1
        }
        for person in votes.indices where votes[person] > 1 { votes[person] = 1 }
        return votes
    }

    /// The first index of `list` (sorted by number) whose number is at least `number`.
    private static func firstIndex(in list: [Numbered], atLeast number: Int) -> Int {
        var low = 0, high = list.count
        while low < high {
            let middle = (low + high) / 2
            if list[middle].number < number { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// (project, number) of a Jira-style key `PROJECT-123` (project upper-cased); nil for other keys, such as
    /// hashes.
    static func keyNumber(_ key: String) -> (String, Int)? {
        guard let dash = key.lastIndex(of: "-") else { return nil }
        let project = key[..<dash], digits = key[key.index(after: dash)...]
        guard let first = project.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic,
              project.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }),
              !digits.isEmpty, digits.count <= 15, digits.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }),
              let number = Int(digits) else { return nil }
        return (project.uppercased(), number)
    }

    /// BM25 of the ticket against each person's decayed vocabulary (a person's work as one document).
    private func vocabularyScores(_ query: [(term: Int, weight: Double)], pool: [Int], inPool: [Bool], time: Double) -> [Double] {
        let halfLife = parameters.profileHalfLifeDays * day
        let k1 = parameters.k1, b = parameters.b
        var lengths = [Double](repeating: 0, count: people.count)
        var sum = 0.0
        for person in pool {
            lengths[person] = vocabularyLength[person].at(time, halfLife: halfLife)
            sum += lengths[person]
        }
        let average = sum > 0 ? sum / Double(pool.count) : 1
        var norms = [Double](repeating: 0, count: people.count)
        for person in pool { norms[person] = k1 * (1 - b + b * lengths[person] / average) }
        var scores = [Double](repeating: 0, count: people.count)
        for (term, weight) in query where term < vocabulary.lists.count {
            for entry in vocabulary.lists[term] {
                let person = Int(entry.person)
                guard inPool[person] else { continue }
                let frequency = entry.decayed.at(time, halfLife: halfLife)
                scores[person] += weight * frequency * (k1 + 1) / (frequency + norms[person])
            }
        }
        return scores
    }

    /// Each person's decayed share of the ticket's skills, weighted by confidence × idf, averaged.
    private func skillShares(_ skills: [(name: String, confidence: Double)], inPool: [Bool], time: Double) -> [Double] {
        var shares = [Double](repeating: 0, count: people.count)
        let halfLife = parameters.skillHalfLifeDays * day
        let documents = Double(docPerson.count)
        var weightSum = 0.0
        for (name, confidence) in skills {
            guard let skill = skillIDs[name], skill < ownership.lists.count else { continue }
            let weight = confidence * log(1 + documents / Double(skillDocuments[skill] + 1))
            let total = skillTotal[skill].at(time, halfLife: halfLife)
            guard weight > 0, total > 0 else { continue }
            weightSum += weight
            for entry in ownership.lists[skill] where inPool[Int(entry.person)] {
                shares[Int(entry.person)] += weight * entry.decayed.at(time, halfLife: halfLife) / total
            }
        }
        if weightSum > 0 { for index in shares.indices { shares[index] /= weightSum } }
        return shares
    }

    /// Decayed overrides away from each person for the ticket's kinds (mean over its skills, or "any ticket").
    private func overridePenalties(_ skills: [(name: String, confidence: Double)], pool: [Int], time: Double) -> [Double] {
        var penalties = [Double](repeating: 0, count: people.count)
        guard !overrides.slots.isEmpty else { return penalties }
        let halfLife = parameters.overrideHalfLifeDays * day
        let kinds = skills.isEmpty ? [0] : skills.compactMap { skillIDs[$0.name] }
        guard !kinds.isEmpty else { return penalties }
        for person in pool {
            var sum = 0.0
            for kind in kinds { sum += overrides.value(key: kind, person: person, at: time, halfLife: halfLife) }
            penalties[person] = sum / Double(kinds.count)
        }
        return penalties
    }

    /// The ticket's skills: its components and labels at full confidence; without any, the learned
    /// detector's predictions at their weight (when enabled).
    private func ticketSkills(_ ticket: TicketText) -> [(name: String, confidence: Double)] {
        let given = Self.skillNames(components: ticket.components, labels: ticket.labels)
        if !given.isEmpty { return given.map { ($0, 1.0) } }
        guard parameters.learnedSkills else { return [] }
        return detector.predict(title: ticket.title, description: ticket.description, limit: parameters.detectorLimit)
            .map { ($0.name, $0.weight) }
    }

    /// `component:<name>` and `label:<name>` for the non-empty names, without duplicates (the detector's naming).
    static func skillNames(components: [String], labels: [String]) -> [String] {
        var names: [String] = []
        for component in components where !component.isEmpty {
            let name = LearnedSkills.componentPrefix + component
            if !names.contains(name) { names.append(name) }
        }
        for label in labels where !label.isEmpty {
            let name = LearnedSkills.labelPrefix + label
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// `component:net` → `net`, for reasons.
    static func displayName(_ skill: String) -> String {
        for prefix in [LearnedSkills.componentPrefix, LearnedSkills.labelPrefix] where skill.hasPrefix(prefix) {
            return String(skill.dropFirst(prefix.count))
        }
        return skill
    }

    private func normalise(_ values: inout [Double], _ pool: [Int]) {
        var top = 0.0
        for person in pool where values[person] > top { top = values[person] }
        guard top > 0 else { return }
        for person in pool { values[person] /= top }
    }

    // MARK: Interning

    private func personIndex(_ id: String) -> Int {
        if let index = personIDs[id] { return index }
        personIDs[id] = people.count
        people.append(id)
        vocabularyLength.append(Decayed(value: 0, stamp: 0))
        lastResolvedTime.append(-Double.greatestFiniteMagnitude)
        burst.append(Decayed(value: 0, stamp: 0))
        return people.count - 1
    }

    private func skillIndex(_ name: String) -> Int {
        if let index = skillIDs[name] { return index }
        skillIDs[name] = skillNames.count
        skillNames.append(name)
        skillDocuments.append(0)
        skillTotal.append(Decayed(value: 0, stamp: 0))
        return skillNames.count - 1
    }

    /// Term frequencies of the title (each term counting `titleBoost`) and description; new terms are
    /// interned only when `adding`.
    private func termFrequencies(_ ticket: TicketText, adding: Bool) -> [(Int32, Double)] {
        var frequencies: [Int32: Double] = [:]
        for (text, boost) in [(ticket.title, parameters.titleBoost), (ticket.description, 1.0)] {
            Tokenizer.forEachTerm(text) { term in
                let id: Int32
                if let known = termIDs[term] {
                    id = known
                } else if adding {
                    id = Int32(documentFrequency.count)
                    termIDs[term] = id
                    documentFrequency.append(0)
                    postings.append([])
                } else {
                    return
                }
                frequencies[id, default: 0] += boost
            }
        }
        return frequencies.map { ($0.key, $0.value) }
    }
}
