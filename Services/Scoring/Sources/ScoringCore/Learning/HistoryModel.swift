// One file because the model's interned arrays and the formulas that read them are kept together: the hot
// loops index the same private storage, and splitting them would widen that storage's access.
import Foundation
import Model
import TextKit

/// What the scoring service learns from resolved tickets, one ticket at a time (no rebuild), and the
/// three learned factors it gives a candidate for a new ticket (docs/scoring-model.md):
///
/// - similarWork: ½ kNN vote over BM25-similar past tickets (votes decayed by the age of the similar
///   ticket) + ½ BM25 of the ticket against each person's decayed vocabulary;
/// - skillFit: the person's decayed share of the ticket's skills: its components and labels; for a ticket without
///   any, the skills the skills service detected (given with the ticket, ``TicketText/detected``): the components and
///   labels its learned vocabulary predicted, at their weight, and the other detected skills (taxonomy, custom, model)
///   at ``Parameters/detectedSkillShare`` of theirs. Every resolved ticket teaches its components, labels and other
///   detected skills (at their weight) to its resolver. Or siblings (below), when larger;
/// - recentActivity: ½ burst (the person's share of the team's last few tickets) + ½ presence (days since
///   the person last resolved a ticket), or, when larger, siblings: how close the keys of the tickets the person
///   resolved are numbered to the new ticket's key (tickets filed at about the same time).
///
/// Each signal is divided by its maximum over the candidates. Manual overrides (`learnOverride`) lower a
/// person's skillFit and similarWork for the kinds of tickets they were reassigned away from.
///
/// Storage is arrays indexed by interned term, skill and person ids; decayed values are kept lazily as
/// (value, time of last update). Not Sendable: it has one owner at a time, and the compiler checks it (the scoring
/// service keeps each tenant's inside a `Mutex`; a replay owns its own).
public final class HistoryModel {
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
        /// Use the predicted components and labels (``TicketText/detected``) of tickets without any of their own.
        public var learnedSkills = true
        /// Predicted skills taken, heaviest first.
        public var detectorLimit = 5
        /// The ticket's other detected skills (taxonomy, custom, model): learned from every resolved ticket at their
        /// weight, like components, and read for a ticket without components and labels at this share of their weight,
        /// beside the predicted ones; 0 turns them off. (Replay: 0.3 helps tickets without components on both shared
        /// histories, 1 helps less; read for tickets with components too, they cost ZooKeeper 0.02 top-1.)
        public var detectedSkillShare = 0.3
        /// Siblings: a resolved ticket whose key number is this many numbers away from the new ticket's (same
        /// project) counts half; 0 turns siblings off.
        public var siblingHalfLifeNumbers = 5.0
        /// An override counts half after this many days.
        public var overrideHalfLifeDays = 180.0
        /// How hard overrides push: factor multiplier 1 / (1 + strength × decayed overrides away).
        public var overrideStrength = 0.5
        /// Tickets (title and description) whose query terms and nearest past tickets are kept until the model
        /// learns another ticket, for tickets ranked again (a speed setting: results are the same); 0 turns it off.
        public var queryCache = 256
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
        /// The ticket's skills as the skills service detected them, heaviest first. The model reads only the
        /// components and labels its learned vocabulary predicted (``DetectedSkill/isComponentOrLabel``), and only
        /// for a ticket without components and labels of its own; it learns no vocabulary itself.
        public var detected: [DetectedSkill]
        public init(key: String = "", title: String, description: String = "", components: [String] = [], labels: [String] = [],
                    detected: [DetectedSkill] = []) {
            self.key = key
            self.title = title
            self.description = description
            self.components = components
            self.labels = labels
            self.detected = detected
        }
        public init(_ ticket: Ticket, detected: [DetectedSkill] = []) {
            self.init(key: ticket.key, title: ticket.title, description: ticket.description, components: ticket.components,
                      labels: ticket.labels, detected: detected)
        }
        public init(_ record: HistoryRecord, detected: [DetectedSkill] = []) {
            self.init(key: record.key, title: record.title, description: record.description, components: record.components,
                      labels: record.labels, detected: detected)
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
        /// How many resolved tickets of each of `matchedSkills` the person resolved (same order).
        public var matchedSkillTickets = SkillTicketCounts()
        /// The person's sibling evidence in 0...1: tickets filed right next to this one (by key number) that they resolved.
        public var siblings = 0.0
        /// The ticket's skills the person declared (set by the service from ``TicketSkills``; never learned here).
        public var declaredSkills: [TicketSkills.Match] = []
        /// What overrides away from the person on this kind of ticket leave of their fit, 0...1 (1: none): skillFit and
        /// similarWork are multiplied by it here, and the service applies it to their declared skills too.
        public var overrideKeep = 1.0
    }

    /// A decayed value: `value` as of time `stamp`.
    struct Decayed {
        var value: Double
        var stamp: Double
        @inline(__always) func at(_ time: Double, halfLife: Double) -> Double {
            value * exp2(-max(0, time - stamp) / halfLife)
        }
        /// Adds `amount` happening at `time`, before or after the value's time (an older amount arrives decayed).
        @inline(__always) mutating func add(_ amount: Double, at time: Double, halfLife: Double) {
            if time >= stamp || value == 0 {
                value = at(time, halfLife: halfLife) + amount
                stamp = time
            } else {
                value += amount * exp2(-(stamp - time) / halfLife)
            }
        }
    }

    /// One person's decayed weight in a per-term or per-skill list.
    struct Entry {
        var person: Int32
        /// How many amounts were added (for skills: the person's resolved tickets that needed it); fills padding.
        var count: Int32
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
                lists[key][Int(slot)].count &+= 1
            } else {
                slots[slotKey] = Int32(lists[key].count)
                lists[key].append(Entry(person: Int32(person), count: 1, decayed: Decayed(value: amount, stamp: time)))
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
    /// Each person's burst at `ticketsLearned` (NaN: not computed yet); it changes only when a ticket is learned.
    private var burstNow: [Double] = []
    private var ticketsLearned = 0.0
    private var numbered: [String: [Numbered]] = [:]  // project -> learned tickets by key number

    // Skills (components and labels).
    private var skillIDs: [String: Int] = [:]
    private var skillNames: [String] = []
    private var skillDocuments: [Int] = []
    private var skillTotal: [Decayed] = []
    private var ownership = PersonTable()         // skill -> person -> decayed count
    private var overrides = PersonTable()         // kind (skill id, or 0 for any) -> person -> decayed overrides away

    // Scratch space for one query.
    private var scratchScores: [Double] = []
    private var scratchTouched: [Int32] = []
    private var scratchPeople = PersonScratch()

    // Recent queries (``Parameters/queryCache``), oldest first in `queryCacheOrder`; emptied when a ticket is learned.
    private var queryCache: [QueryKey: CachedQuery] = [:]
    /// Bumped whenever a ticket or an override is learned: the skill ids may have changed, so the cached
    /// ``SkillContext``s are stale.
    private var skillsVersion = 0
    private var queryCacheOrder: [QueryKey] = []

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
        _ = skillIndex("*")   // kind 0: any ticket (for overrides of tickets without skills)
    }

    /// Tickets learned so far (with an assignee).
    public var count: Int { docPerson.count }

    /// Roughly the bytes the model holds: its tables' elements plus a per-entry allowance for hashed ones (for the
    /// scoring service's memory budget, not exact accounting; O(terms + skills)).
    public var estimatedBytes: Int {
        let hashed = 48   // a dictionary entry with its key, value and the table's spare room
        func table(_ table: PersonTable) -> Int {
            table.lists.reduce(0) { $0 + $1.count * MemoryLayout<Entry>.stride + 24 } + table.slots.count * hashed
        }
        let postingBytes = postings.reduce(0) { $0 + $1.count * MemoryLayout<Posting>.stride + 24 }
        let perDocument = MemoryLayout<Int32>.stride + MemoryLayout<Double>.stride
        return termIDs.count * (hashed + 16) + documentFrequency.count * 4 + postingBytes + docPerson.count * perDocument
            + personIDs.count * (hashed + 32) + table(vocabulary) + table(ownership) + table(overrides)
            + numbered.values.reduce(0) { $0 + $1.count * MemoryLayout<Numbered>.stride + hashed }
            + skillIDs.count * (hashed + 32) + queryCache.count * 1024
    }

    /// When `person` last resolved a ticket, nil if never.
    public func lastResolved(_ person: String) -> Date? {
        guard let index = personIDs[person], lastResolvedTime[index] > -1e300 else { return nil }
        return Date(timeIntervalSince1970: lastResolvedTime[index])
    }

    // MARK: Learning

    /// Learns one resolved ticket at time `resolved`; a ticket without an assignee teaches nothing.
    public func learn(_ ticket: TicketText, assignee: String?, resolved: Date) {
        guard let assignee, !assignee.isEmpty else { return }
        let time = resolved.timeIntervalSince1970
        skillsVersion &+= 1
        let skills = Self.skillNames(components: ticket.components, labels: ticket.labels)
        if !queryCache.isEmpty {   // new postings, document frequencies and lengths: every query may change
            queryCache.removeAll()
            queryCacheOrder.removeAll()
        }
        burstNow.removeAll(keepingCapacity: true)   // the team's ticket count moves: every burst changes
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
        for (name, weight) in otherDetectedSkills(ticket) {
            let skill = skillIndex(name)
            skillDocuments[skill] += 1
            skillTotal[skill].add(weight, at: time, halfLife: skillHalfLife)
            ownership.add(key: skill, person: person, amount: weight, time: time, halfLife: skillHalfLife)
        }
    }

    /// Learns a manual override: the ticket was reassigned away from `from`, at `time`. The person loses
    /// weight for the ticket's kinds (its components and labels, or the predicted ones; its other detected skills; and
    /// "any ticket").
    public func learnOverride(_ ticket: TicketText, from: String, at time: Date) {
        guard !from.isEmpty else { return }
        skillsVersion &+= 1
        let person = personIndex(from)
        let halfLife = parameters.overrideHalfLifeDays * day
        let seconds = time.timeIntervalSince1970
        overrides.add(key: 0, person: person, amount: 1, time: seconds, halfLife: halfLife)
        var kinds = ticketSkills(ticket).map(\.name)
        for (name, _) in otherDetectedSkills(ticket) where !kinds.contains(name) { kinds.append(name) }
        for name in kinds {
            overrides.add(key: skillIndex(name), person: person, amount: 1, time: seconds, halfLife: halfLife)
        }
    }

    /// What the tickets `person` resolved showed of each skill, and the overrides away from them, decayed to `now`: the
    /// skills of at least one resolved ticket, by proficiency (highest first), then by name. Empty for someone unknown.
    public func profile(of person: String, now: Date) -> [LearnedSkill] {
        guard let index = personIDs[person] else { return [] }
        let time = now.timeIntervalSince1970
        let skillHalfLife = parameters.skillHalfLifeDays * day, overrideHalfLife = parameters.overrideHalfLifeDays * day
        var skills: [LearnedSkill] = []
        for skill in skillNames.indices.dropFirst() {   // 0 is "any ticket"
            guard let slot = ownership.slots[Int64(skill) << 24 | Int64(index)] else { continue }
            let entry = ownership.lists[skill][Int(slot)]
            let evidence = entry.decayed.at(time, halfLife: skillHalfLife)
            let overridden = overrides.value(key: skill, person: index, at: time, halfLife: overrideHalfLife)
            skills.append(LearnedSkill(skill: skillNames[skill], learned: LearnedSkill.proficiency(evidence: evidence, overrides: overridden),
                                       evidence: evidence, tickets: Int(entry.count),
                                       lastUsed: Date(timeIntervalSince1970: entry.decayed.stamp), overrides: overridden))
        }
        return skills.sorted { $0.learned != $1.learned ? $0.learned > $1.learned : $0.skill < $1.skill }
    }

    // MARK: Ranking

    /// The learned factors for each of `candidates` (person ids; unknown people get zeros) for `ticket`
    /// seen at time `now`, in the order of `candidates`. Each signal is normalised to 0...1 over them.
    public func signals(for ticket: TicketText, candidates: [String], now: Date) -> [Signals] {
        signals(for: ticket, candidateIndexes: personIndexes(candidates), now: now)
    }

    /// The model's index of each of `ids` (−1 for people it never learned about), for
    /// ``signals(for:candidateIndexes:now:)``. An index stays valid for good; an unknown person may get one
    /// when the model learns (a ticket or an override of theirs).
    public func personIndexes(_ ids: [String]) -> [Int] {
        ids.map { personIDs[$0] ?? -1 }
    }

    /// When the person at model index `index` (from ``personIndexes(_:)``) last resolved a ticket, nil if never.
    public func lastResolved(index: Int) -> Date? {
        guard index >= 0, index < lastResolvedTime.count, lastResolvedTime[index] > -1e300 else { return nil }
        return Date(timeIntervalSince1970: lastResolvedTime[index])
    }

    /// ``signals(for:candidates:now:)`` for candidates given by model index (``personIndexes(_:)``; −1 or an
    /// index the model does not have: unknown, zeros), without looking up their ids.
    public func signals(for ticket: TicketText, candidateIndexes: [Int], now: Date) -> [Signals] {
        let time = now.timeIntervalSince1970
        let indexes = candidateIndexes.map { $0 < people.count ? $0 : -1 }
        let pool = indexes.filter { $0 >= 0 }
        guard !pool.isEmpty else { return indexes.map { _ in Signals() } }
        // The per-person arrays are moved out of `self` for the query and cleared (at the pool's entries) after it.
        var scratch = scratchPeople
        scratchPeople = PersonScratch()
        scratch.grow(to: people.count)
        defer {
            scratch.clear(pool)
            scratchPeople = scratch
        }
        for index in pool { scratch.inPool[index] = true }

        let (query, nearest, pooled, context) = queryAndNearest(ticket, pool: pool, scratch: &scratch)
        if let pooled {
            neighbourVotes(pooled.neighbours, inPool: scratch.inPool, time: time, votes: &scratch.knn, counts: &scratch.counts)
        } else {
            neighbourVotes(nearest, inPool: scratch.inPool, time: time, votes: &scratch.knn, counts: &scratch.counts)
        }
        if parameters.knnLift > 0, !docPerson.isEmpty {
            let averageLength = max(totalLength / Double(docPerson.count), 1e-9)
            let halfLife = parameters.profileHalfLifeDays * day
            for person in pool where scratch.knn[person] > 0 {
                let volume = vocabularyLength[person].at(time, halfLife: halfLife) / averageLength
                scratch.knn[person] /= pow(max(1, volume), parameters.knnLift)
            }
        }
        vocabularyScores(query, pooled: pooled, pool: pool, inPool: scratch.inPool, time: time, lengths: &scratch.lengths,
                         norms: &scratch.norms, scores: &scratch.vocab)
        let skills = context.skills
        let owners = context.owners?.pool == pool ? context.owners?.lists : nil
        skillShares(skills, ids: context.ids, owners: owners, inPool: scratch.inPool, time: time, shares: &scratch.skill)
        if burstNow.count < people.count { burstNow.append(contentsOf: repeatElement(.nan, count: people.count - burstNow.count)) }
        for person in pool {
            if burstNow[person].isNaN { burstNow[person] = burst[person].at(ticketsLearned, halfLife: parameters.burstHalfLifeTickets) }
            scratch.bursts[person] = burstNow[person]
        }
        normalise(&scratch.knn, pool)
        normalise(&scratch.vocab, pool)
        normalise(&scratch.skill, pool)
        // Detected skills are guesses: the factor's range shrinks to the confidence of the surest one.
        let certainty = context.certainty
        if certainty < 1 { for person in pool { scratch.skill[person] *= certainty } }
        normalise(&scratch.bursts, pool)
        overridePenalties(skills, ids: context.ids, pool: pool, time: time, penalties: &scratch.penalties)
        let hasSiblings = siblingVotes(ticket.key, inPool: scratch.inPool, votes: &scratch.siblings)
        let known = context.known
        var matched = matchedSkills(known, owners: owners.map { lists in context.knownSkill.map { lists[$0] } }, inPool: scratch.inPool,
                                    time: time, bits: &scratch.bits, tickets: &scratch.tickets)

        let presenceHalfLife = parameters.presenceHalfLifeDays * day
        let mixKnn = parameters.mixKnn, mixBurst = parameters.mixBurst, overrideStrength = parameters.overrideStrength
        return indexes.map { person -> Signals in
            guard person >= 0 else { return Signals() }
            let presence = exp2(-max(0, time - lastResolvedTime[person]) / presenceHalfLife)
            let keep = 1 / (1 + overrideStrength * scratch.penalties[person])
            let skill = scratch.skill[person]
            var signals = Signals()
            signals.similarWork = keep * (mixKnn * scratch.knn[person] + (1 - mixKnn) * scratch.vocab[person])
            signals.skillFit = keep * skill
            signals.overrideKeep = keep
            signals.recentActivity = mixBurst * scratch.bursts[person] + (1 - mixBurst) * presence
            if hasSiblings {
                // Tickets filed alongside: the person was at work then, and on this piece of work.
                let siblings = scratch.siblings[person]
                signals.recentActivity = max(signals.recentActivity, siblings)
                signals.skillFit = keep * max(skill, siblings)
                signals.siblings = siblings
            }
            signals.similarTickets = scratch.counts[person]
            if skill > 0 {
                if let names = matched?.names(person, scratch.bits) {
                    signals.matchedSkills = names
                    signals.matchedSkillTickets = scratch.tickets[person]
                } else {
                    let owned = known.compactMap { skill -> (name: String, tickets: Int)? in
                        guard let slot = ownership.slots[Int64(skill.id) << 24 | Int64(person)] else { return nil }
                        let entry = ownership.lists[skill.id][Int(slot)]
                        return entry.decayed.at(time, halfLife: 1e12) > 0 ? (skill.name, Int(entry.count)) : nil
                    }
                    signals.matchedSkills = owned.map(\.name)
                    signals.matchedSkillTickets = SkillTicketCounts(owned.map(\.tickets))
                }
            }
            return signals
        }
    }

    /// Per-person arrays of one query, kept between queries: zero (false) everywhere outside a query; a query
    /// writes only at its pool's entries, so clearing those makes them ready for the next one (no allocating
    /// and zeroing arrays of everyone per query).
    struct PersonScratch {
        var inPool: [Bool] = []
        var knn: [Double] = []
        var counts: [Int] = []
        var lengths: [Double] = []
        var norms: [Double] = []
        var vocab: [Double] = []
        var skill: [Double] = []
        var bursts: [Double] = []
        var penalties: [Double] = []
        var siblings: [Double] = []
        var bits: [UInt64] = []
        var tickets: [SkillTicketCounts] = []
        /// While pooling a query's entries (``pooledEntries(_:pool:scratch:)``): each person's last stamp and its index + 1.
        var lastStamp: [Double] = []
        var lastStampIndex: [Int32] = []

        mutating func grow(to count: Int) {
            func grow<T>(_ array: inout [T], _ zero: T) {
                if array.count < count { array.append(contentsOf: repeatElement(zero, count: count - array.count)) }
            }
            grow(&inPool, false)
            grow(&knn, 0)
            grow(&counts, 0)
            grow(&lengths, 0)
            grow(&norms, 0)
            grow(&vocab, 0)
            grow(&skill, 0)
            grow(&bursts, 0)
            grow(&penalties, 0)
            grow(&siblings, 0)
            grow(&bits, 0)
            grow(&tickets, SkillTicketCounts())
            grow(&lastStamp, 0)
            grow(&lastStampIndex, 0)
        }

        /// Zeroes the entries of `pool`, the only ones a query writes.
        mutating func clear(_ pool: [Int]) {
            for person in pool {
                inPool[person] = false
                knn[person] = 0
                counts[person] = 0
                lengths[person] = 0
                norms[person] = 0
                vocab[person] = 0
                skill[person] = 0
                bursts[person] = 0
                penalties[person] = 0
                siblings[person] = 0
                bits[person] = 0
                tickets[person] = SkillTicketCounts()
                lastStamp[person] = 0
                lastStampIndex[person] = 0
            }
        }
    }

    /// The display names of the ticket's known skills each pool person has worked on, in the ticket's
    /// order: one bit per skill and person, and one shared name list per distinct set of bits.
    private struct MatchedSkills {
        var displayNames: [String]
        /// The lists made so far, by mask (few: searched, not hashed).
        var lists: [(mask: UInt64, names: [String])] = []

        /// The names of the skills whose bits are set in `bits[person]`.
        mutating func names(_ person: Int, _ bits: [UInt64]) -> [String] {
            let mask = bits[person]
            if mask == 0 { return [] }
            if let known = lists.first(where: { $0.mask == mask }) { return known.names }
            var list: [String] = []
            for (bit, name) in displayNames.enumerated() where mask & (1 << UInt64(bit)) != 0 { list.append(name) }
            lists.append((mask, list))
            return list
        }
    }

    /// The ticket's known skills each pool person owns, as in ``MatchedSkills``; nil for more than 64 of them
    /// (then each person's are looked up one by one).
    /// `owners`: each known skill's entries of the pool's people (``SkillContext/owners``), when known.
    /// Into `tickets` (empty) the ticket counts of each person's first ``SkillTicketCounts/limit`` matched skills (bits are
    /// visited in order, so the first ones a person gets are the first of their names).
    private func matchedSkills(_ known: [(id: Int, name: String)], owners: [[Entry]]?, inPool: [Bool], time: Double,
                               bits: inout [UInt64], tickets: inout [SkillTicketCounts]) -> MatchedSkills? {
        guard known.count <= 64 else { return nil }
        for (bit, (id, _)) in known.enumerated() where id < ownership.lists.count {
            for entry in owners?[bit] ?? ownership.lists[id] where inPool[Int(entry.person)] && entry.decayed.at(time, halfLife: 1e12) > 0 {
                let person = Int(entry.person)
                bits[person] |= 1 << UInt64(bit)
                tickets[person].append(Int(entry.count))
            }
        }
        return MatchedSkills(displayNames: known.map(\.name))
    }

    /// The ticket's weighted query and nearest past tickets: from the query cache when the same title and
    /// description were ranked since the model last learned a ticket (both depend on nothing else), else computed
    /// (and kept, unless the text is long or the cache is off). With a cached query also the query's vocabulary
    /// entries of `pool`'s people (``PooledEntries``), kept for the last pool the query was ranked with.
    private func queryAndNearest(_ ticket: TicketText, pool: [Int], scratch: inout PersonScratch)
        -> (query: [(term: Int, weight: Double)], nearest: [(score: Double, doc: Int32)], pooled: PooledEntries?, skills: SkillContext) {
        let limit = parameters.queryCache
        let cacheable = limit > 0 && ticket.title.utf8.count + ticket.description.utf8.count <= Self.queryCacheMaxText
        let key = QueryKey(title: cacheable ? ticket.title : "", description: cacheable ? ticket.description : "")
        if cacheable, let cached = queryCache[key] {
            var pooled = cached.pooled, skills = cached.skills, changed = false
            if pooled?.pool != pool {
                pooled = pooledEntries(cached.query, nearest: cached.nearest, pool: pool, scratch: &scratch)
                changed = true
            }
            if skills.map({ !isCurrent($0, for: ticket) }) ?? true {
                skills = skillContext(ticket)
                changed = true
            }
            if skills!.owners?.pool != pool {
                skills!.owners = (pool, pooledOwners(skills!.ids, inPool: scratch.inPool))
                changed = true
            }
            if changed {
                queryCache[key]?.pooled = pooled
                queryCache[key]?.skills = skills
            }
            return (cached.query, cached.nearest, pooled, skills!)
        }
        let query = weightedQuery(ticket)
        let nearest = nearestTickets(query)
        let skills = skillContext(ticket)
        if cacheable {
            if queryCacheOrder.count >= limit, !queryCacheOrder.isEmpty { queryCache.removeValue(forKey: queryCacheOrder.removeFirst()) }
            // Pooled when ranked again (most tickets are ranked once between two learned tickets in a replay).
            queryCache[key] = CachedQuery(query: query, nearest: nearest, pooled: nil, skills: skills)
            queryCacheOrder.append(key)
            return (query, nearest, nil, skills)
        }
        return (query, nearest, nil, skills)
    }

    /// A ticket's skills as the model knows them: ``ticketSkills(_:)``, the model's id of each (nil: never learned),
    /// and the known ones' ids and display names, for the components, labels and ``skillsVersion`` they were read at.
    struct SkillContext {
        var components: [String]
        var labels: [String]
        /// What was read of the detected skills (``detectedSkills(_:)``).
        var predicted: [(name: String, confidence: Double)]
        var version: Int
        var skills: [(name: String, confidence: Double)]
        var ids: [Int?]
        var known: [(id: Int, name: String)]
        /// The position in `skills` of each of `known`.
        var knownSkill: [Int]
        /// Each skill's owners among one pool's people (``pooledOwners(_:inPool:)``), kept for the last pool ranked again.
        var owners: (pool: [Int], lists: [[Entry]])?
        /// How sure the ticket's skills are: the largest confidence among them, a detected skill counting at its own weight
        /// (not at ``Parameters/detectedSkillShare`` of it, which only weighs it against the others).
        var certainty: Double
    }

    /// The ownership entries of the people in `inPool` of each skill of `ids` (none for unknown ones), in list order.
    private func pooledOwners(_ ids: [Int?], inPool: [Bool]) -> [[Entry]] {
        ids.map { id in
            guard let id, id < ownership.lists.count else { return [] }
            return ownership.lists[id].filter { inPool[Int($0.person)] }
        }
    }

    private func skillContext(_ ticket: TicketText) -> SkillContext {
        let predicted = detectedSkills(ticket)
        let skills = ticketSkills(ticket, detected: predicted)
        let ids = skills.map { skillIDs[$0.name] }
        var known: [(id: Int, name: String)] = []
        var knownSkill: [Int] = []
        for (index, skill) in skills.enumerated() {
            if let id = ids[index] {
                known.append((id, Self.displayName(skill.name)))
                knownSkill.append(index)
            }
        }
        var certainty = 0.0
        for skill in skills where skill.confidence > certainty { certainty = skill.confidence }
        if certainty < 1, !predicted.isEmpty { for (_, weight) in otherDetectedSkills(ticket) { certainty = max(certainty, weight) } }
        return SkillContext(components: ticket.components, labels: ticket.labels, predicted: predicted, version: skillsVersion,
                            skills: skills, ids: ids, known: known, knownSkill: knownSkill, certainty: certainty)
    }

    /// Whether `context` is what ``skillContext(_:)`` gives `ticket` (of the same title and description) now.
    private func isCurrent(_ context: SkillContext, for ticket: TicketText) -> Bool {
        guard context.version == skillsVersion, context.components == ticket.components, context.labels == ticket.labels else { return false }
        let predicted = detectedSkills(ticket)
        return predicted.count == context.predicted.count
            && zip(predicted, context.predicted).allSatisfy { $0.name == $1.name && $0.confidence == $1.confidence }
    }

    /// A cached query's vocabulary entries of one pool's people: what ``vocabularyScores`` visits, without walking
    /// everyone's entries of each term. Valid until the model learns a ticket (which empties the query cache).
    struct PooledEntries {
        var pool: [Int]
        /// False when the pool has more than ``pooledEntriesLimit`` entries: then `entries` is empty and the terms are walked.
        var complete: Bool
        var entries: [PooledEntry]
        /// The query's voting neighbours (``neighbours(_:)``; they do not depend on the pool).
        var neighbours: [Neighbour]
        /// The entries' distinct stamps (many entries share one: a person's terms of one ticket), each decayed once per
        /// query.
        var stamps: [Double]
    }

    /// One person's decayed frequency of a query term (as of `stamps[stamp]`), with the term's query weight.
    struct PooledEntry {
        var weight: Double
        var value: Double
        var person: Int32
        var stamp: Int32
    }

    /// At most this many pooled entries are kept per cached query (larger pools are walked term by term).
    static let pooledEntriesLimit = 8_192

    /// The query's vocabulary entries of the people in `inPool`, in the order ``vocabularyScores`` visits them
    /// (query order, then each term's list order); incomplete when there are more than ``pooledEntriesLimit``.
    /// A stamp is shared by the entries of one person that follow each other with it (no hashing of stamps).
    private func pooledEntries(_ query: [(term: Int, weight: Double)], nearest: [(score: Double, doc: Int32)], pool: [Int],
                               scratch: inout PersonScratch) -> PooledEntries {
        let neighbours = neighbours(nearest)
        var entries: [PooledEntry] = []
        var stamps: [Double] = []
        for (term, weight) in query where term < vocabulary.lists.count {
            for entry in vocabulary.lists[term] where scratch.inPool[Int(entry.person)] {
                guard entries.count < Self.pooledEntriesLimit else {
                    return PooledEntries(pool: pool, complete: false, entries: [], neighbours: neighbours, stamps: [])
                }
                let stamp = entry.decayed.stamp, person = Int(entry.person)
                let index: Int32
                if scratch.lastStampIndex[person] > 0, scratch.lastStamp[person] == stamp {
                    index = scratch.lastStampIndex[person] - 1
                } else {
                    index = Int32(stamps.count)
                    stamps.append(stamp)
                    scratch.lastStamp[person] = stamp
                    scratch.lastStampIndex[person] = index + 1
                }
                entries.append(PooledEntry(weight: weight, value: entry.decayed.value, person: entry.person, stamp: index))
            }
        }
        return PooledEntries(pool: pool, complete: true, entries: entries, neighbours: neighbours, stamps: stamps)
    }

    /// Texts longer than this (title and description, in UTF-8 bytes) are not kept in the query cache.
    static let queryCacheMaxText = 16_384

    struct QueryKey: Hashable {
        var title: String
        var description: String
    }

    struct CachedQuery {
        var query: [(term: Int, weight: Double)]
        var nearest: [(score: Double, doc: Int32)]
        var pooled: PooledEntries?
        var skills: SkillContext?
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
    /// relative to the best neighbour, decayed by the neighbour's age. Into `votes` and `counts` (zero).
    private func neighbourVotes(_ nearest: [(score: Double, doc: Int32)], inPool: [Bool], time: Double, votes: inout [Double],
                                counts: inout [Int]) {
        let best = nearest.map(\.score).max() ?? 0
        guard best > 0 else { return }
        let halfLife = parameters.knnHalfLifeDays * day
        for (score, doc) in nearest {
            let person = Int(docPerson[Int(doc)])
            guard inPool[person] else { continue }
            votes[person] += score / best * exp2(-max(0, time - docTime[Int(doc)]) / halfLife)
            counts[person] += 1
        }
    }

    /// ``neighbourVotes(_:inPool:time:votes:counts:)`` of the neighbours as ``neighbours(_:)`` gives them.
    private func neighbourVotes(_ neighbours: [Neighbour], inPool: [Bool], time: Double, votes: inout [Double], counts: inout [Int]) {
        let halfLife = parameters.knnHalfLifeDays * day
        for neighbour in neighbours {
            let person = Int(neighbour.person)
            guard inPool[person] else { continue }
            votes[person] += neighbour.vote * exp2(-max(0, time - neighbour.time) / halfLife)
            counts[person] += 1
        }
    }

    /// A similar past ticket's resolver, undecayed vote (its score relative to the best neighbour's) and resolution time.
    struct Neighbour {
        var vote: Double
        var time: Double
        var person: Int32
    }

    /// The voting neighbours among `nearest`, in its order (none when no neighbour scores above 0).
    private func neighbours(_ nearest: [(score: Double, doc: Int32)]) -> [Neighbour] {
        let best = nearest.map(\.score).max() ?? 0
        guard best > 0 else { return [] }
        return nearest.map { score, doc in Neighbour(vote: score / best, time: docTime[Int(doc)], person: docPerson[Int(doc)]) }
    }

    /// The top `neighbours` past tickets by BM25 score for `query` (a min-heap's entries, in its order).
    private func nearestTickets(_ query: [(term: Int, weight: Double)]) -> [(score: Double, doc: Int32)] {
        // The scratch arrays are moved out of `self` for the loop (no exclusivity checks per posting).
        var scores = scratchScores
        var touched = scratchTouched
        scratchScores = []
        scratchTouched = []
        if scores.count < docPerson.count { scores.append(contentsOf: repeatElement(0, count: docPerson.count - scores.count)) }
        // Room for every posting: each is written to `touched`, which only advances for a document's first one
        // (no branch per posting).
        let total = query.reduce(0) { $0 + postings[$1.term].count }
        if touched.count < total { touched.append(contentsOf: repeatElement(0, count: total - touched.count)) }
        var heap = TopK(capacity: parameters.neighbours)
        scores.withUnsafeMutableBufferPointer { scores in
            touched.withUnsafeMutableBufferPointer { touched in
                var count = 0
                for (term, weight) in query {
                    postings[term].withUnsafeBufferPointer { list in
                        for posting in list {
                            let doc = Int(posting.doc)
                            let score = scores[doc]
                            touched[count] = posting.doc
                            count &+= score == 0 ? 1 : 0
                            scores[doc] = score + weight * Double(posting.weight)
                        }
                    }
                }
                for doc in touched[..<count] {
                    heap.insert(score: scores[Int(doc)], doc: doc)
                    scores[Int(doc)] = 0
                }
            }
        }
        scratchScores = scores
        scratchTouched = touched
        return heap.entries
    }

    /// Siblings: for a key `PROJECT-N`, each person's sum of 2^(−|N − n| / h) over the learned tickets numbered n
    /// they resolved in that project, at most 1 (a ticket filed right next to this one is full evidence). Empty when
    /// the key has no number or siblings are off. Into `votes` (zero); false when there are none.
    private func siblingVotes(_ key: String, inPool: [Bool], votes: inout [Double]) -> Bool {
        let halfLife = parameters.siblingHalfLifeNumbers
        guard halfLife > 0, let (project, number) = Self.keyNumber(key), let list = numbered[project] else { return false }
        let reach = Int((20 * halfLife).rounded(.up))   // further siblings count less than 2^-20
        var index = Self.firstIndex(in: list, atLeast: number - reach)
        while index < list.count, list[index].number <= number + reach {
            let person = Int(list[index].person)
            if inPool[person] { votes[person] += exp2(-Double(abs(number - list[index].number)) / halfLife) }
            index += 1
        }
        for person in votes.indices where votes[person] > 1 { votes[person] = 1 }
        return true
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
        if let ascii = asciiKeyNumber(key) { return ascii.valid ? ascii.parsed : nil }
        return generalKeyNumber(key)
    }

    /// ``keyNumber(_:)`` by characters and Unicode properties, for any key.
    static func generalKeyNumber(_ key: String) -> (String, Int)? {
        guard let dash = key.lastIndex(of: "-") else { return nil }
        let project = key[..<dash], digits = key[key.index(after: dash)...]
        guard let first = project.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic,
              project.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }),
              !digits.isEmpty, digits.count <= 15, digits.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }),
              let number = Int(digits) else { return nil }
        return (project.uppercased(), number)
    }

    /// ``keyNumber(_:)`` of an ASCII key, read byte by byte (the rules are the same for ASCII); nil for a key with
    /// other characters (then the general reading decides), `valid` false for an ASCII key that has no number.
    static func asciiKeyNumber(_ key: String) -> (valid: Bool, parsed: (String, Int)?)? {
        var key = key
        return key.withUTF8 { bytes -> (valid: Bool, parsed: (String, Int)?)? in
            var dash = -1
            for (index, byte) in bytes.enumerated() {
                if byte >= 0x80 { return nil }
                if byte == 45 { dash = index }   // -
            }
            guard dash > 0, bytes.count - dash - 1 >= 1, bytes.count - dash - 1 <= 15 else { return (false, nil) }
            let first = bytes[0]
            guard Tokenizer.isUpper(first) || Tokenizer.isLower(first) else { return (false, nil) }
            for byte in bytes[..<dash] where !Tokenizer.isWordByte(byte) { return (false, nil) }
            var number = 0
            for byte in bytes[(dash + 1)...] {
                guard Tokenizer.isDigit(byte) else { return (false, nil) }
                number = number * 10 + Int(byte - 48)
            }
            let project = String(decoding: bytes[..<dash].map { Tokenizer.isLower($0) ? $0 - 32 : $0 }, as: UTF8.self)
            return (true, (project, number))
        }
    }

    /// BM25 of the ticket against each person's decayed vocabulary (a person's work as one document).
    /// Into `scores` (zero), with `lengths` and `norms` (zero) for the pool's vocabulary lengths and BM25 norms.
    /// `pooled`: the query's entries of the pool's people (``pooledEntries(_:pool:inPool:)``), when known.
    private func vocabularyScores(_ query: [(term: Int, weight: Double)], pooled: PooledEntries?, pool: [Int], inPool: [Bool], time: Double,
                                  lengths: inout [Double], norms: inout [Double], scores: inout [Double]) {
        let halfLife = parameters.profileHalfLifeDays * day
        let k1 = parameters.k1, b = parameters.b
        var sum = 0.0
        for person in pool {
            lengths[person] = vocabularyLength[person].at(time, halfLife: halfLife)
            sum += lengths[person]
        }
        let average = sum > 0 ? sum / Double(pool.count) : 1
        for person in pool { norms[person] = k1 * (1 - b + b * lengths[person] / average) }
        if let pooled, pooled.complete {
            // The same terms in the same order, each person's entries only; `Decayed.at` with each distinct stamp's
            // decay computed once.
            let decays = pooled.stamps.map { exp2(-max(0, time - $0) / halfLife) }
            for entry in pooled.entries {
                let person = Int(entry.person)
                let frequency = entry.value * decays[Int(entry.stamp)]
                scores[person] += entry.weight * frequency * (k1 + 1) / (frequency + norms[person])
            }
            return
        }
        for (term, weight) in query where term < vocabulary.lists.count {
            for entry in vocabulary.lists[term] {
                let person = Int(entry.person)
                guard inPool[person] else { continue }
                let frequency = entry.decayed.at(time, halfLife: halfLife)
                scores[person] += weight * frequency * (k1 + 1) / (frequency + norms[person])
            }
        }
    }

    /// Each person's decayed share of the ticket's skills, weighted by confidence × idf, averaged.
    /// Into `shares` (zero).
    /// `ids`: each skill's id (``SkillContext/ids``); `owners`: each skill's entries of the pool's people, when known.
    private func skillShares(_ skills: [(name: String, confidence: Double)], ids: [Int?], owners: [[Entry]]?, inPool: [Bool], time: Double,
                             shares: inout [Double]) {
        let halfLife = parameters.skillHalfLifeDays * day
        let documents = Double(docPerson.count)
        var weightSum = 0.0
        for (index, (_, confidence)) in skills.enumerated() {
            guard let skill = ids[index], skill < ownership.lists.count else { continue }
            let weight = confidence * log(1 + documents / Double(skillDocuments[skill] + 1))
            let total = skillTotal[skill].at(time, halfLife: halfLife)
            guard weight > 0, total > 0 else { continue }
            weightSum += weight
            for entry in owners?[index] ?? ownership.lists[skill] where inPool[Int(entry.person)] {
                shares[Int(entry.person)] += weight * entry.decayed.at(time, halfLife: halfLife) / total
            }
        }
        if weightSum > 0 { for index in shares.indices { shares[index] /= weightSum } }
    }

    /// Decayed overrides away from each person for the ticket's kinds (mean over its skills, or "any ticket").
    /// Into `penalties` (zero).
    private func overridePenalties(_ skills: [(name: String, confidence: Double)], ids: [Int?], pool: [Int], time: Double,
                                   penalties: inout [Double]) {
        guard !overrides.slots.isEmpty else { return }
        let halfLife = parameters.overrideHalfLifeDays * day
        let kinds = skills.isEmpty ? [0] : ids.compactMap { $0 }
        guard !kinds.isEmpty else { return }
        for person in pool {
            var sum = 0.0
            for kind in kinds { sum += overrides.value(key: kind, person: person, at: time, halfLife: halfLife) }
            penalties[person] = sum / Double(kinds.count)
        }
    }

    /// The ticket's skills: its components and labels at full confidence; without any, what it read of the detected
    /// ones (``detectedSkills(_:)``).
    /// `detected`: ``detectedSkills(_:)`` of the ticket, when already computed.
    private func ticketSkills(_ ticket: TicketText, detected: [(name: String, confidence: Double)]? = nil) -> [(name: String, confidence: Double)] {
        let given = Self.skillNames(components: ticket.components, labels: ticket.labels)
        if !given.isEmpty { return given.map { ($0, 1.0) } }
        return detected ?? detectedSkills(ticket)
    }

    /// What the model reads of the detected skills of a ticket without components and labels (none of a ticket with
    /// them): the components and labels the skills service predicted, heaviest first, at most
    /// ``Parameters/detectorLimit`` (when ``Parameters/learnedSkills``), then the other detected skills at
    /// ``Parameters/detectedSkillShare`` of their weight.
    private func detectedSkills(_ ticket: TicketText) -> [(name: String, confidence: Double)] {
        guard !ticket.detected.isEmpty, ticket.components.allSatisfy(\.isEmpty), ticket.labels.allSatisfy(\.isEmpty) else { return [] }
        var read: [(name: String, confidence: Double)] = []
        if parameters.learnedSkills {
            for skill in ticket.detected where skill.isComponentOrLabel && skill.weight > 0 && !read.contains(where: { $0.name == skill.name }) {
                read.append((skill.name, min(skill.weight, 1)))
                if read.count == parameters.detectorLimit { break }
            }
        }
        for (name, weight) in otherDetectedSkills(ticket) { read.append((name, weight * parameters.detectedSkillShare)) }
        return read
    }

    /// The ticket's detected skills other than predicted components and labels (taxonomy, custom, model), at their
    /// weight (at most 1), without repeats; none when ``Parameters/detectedSkillShare`` is 0.
    private func otherDetectedSkills(_ ticket: TicketText) -> [(name: String, weight: Double)] {
        guard parameters.detectedSkillShare > 0 else { return [] }
        var other: [(name: String, weight: Double)] = []
        for skill in ticket.detected where !skill.isComponentOrLabel && skill.weight > 0 && !other.contains(where: { $0.name == skill.name }) {
            other.append((skill.name, min(skill.weight, 1)))
        }
        return other
    }

    /// `component:<name>` and `label:<name>` for the non-empty names, without duplicates (the detector's naming).
    static func skillNames(components: [String], labels: [String]) -> [String] {
        var names: [String] = []
        for component in components where !component.isEmpty {
            let name = DetectedSkill.componentPrefix + component
            if !names.contains(name) { names.append(name) }
        }
        for label in labels where !label.isEmpty {
            let name = DetectedSkill.labelPrefix + label
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// `component:net` → `net`, for reasons.
    static func displayName(_ skill: String) -> String {
        for prefix in [DetectedSkill.componentPrefix, DetectedSkill.labelPrefix] where skill.hasPrefix(prefix) {
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

    /// Term frequencies of the title (each term counting `titleBoost`) and description, by term id; new terms
    /// are interned only when `adding`.
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
        // By term id: a query's scores are summed in the same order every time (a dictionary's order differs
        // from one instance to the next, and so did the last bits of the sums).
        return frequencies.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 }
    }
}
