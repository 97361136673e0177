import Foundation
import Model

/// Turns candidate signals into a ranking: each factor a value in 0...1, weighted by the project's
/// settings, summed into a score in 0...1, explained factor by factor and in plain words.
public enum Ranker {
    /// Ranks `candidates` for `ticket`; returns at most `limit` of them, best first.
    /// Without `explain` the candidates carry factors but no reasons in words (replays, what-if, benchmarks).
    public static func rank(ticket: Ticket, settings: ProjectSettings, candidates: [CandidateSignals], now: Date,
                            limit: Int = 10, explain: Bool = true) -> Ranking {
        var chosen: [Int] = []
        return rank(ticket: ticket, settings: settings, candidates: candidates, now: now, limit: limit, explain: explain, chosen: &chosen)
    }

    /// ``rank(ticket:settings:candidates:now:limit:explain:)``, also setting `chosen` to the indexes into
    /// `candidates` of the ranking's candidates, in the ranking's order.
    public static func rank(ticket: Ticket, settings: ProjectSettings, candidates: [CandidateSignals], now: Date,
                            limit: Int = 10, explain: Bool = true, chosen: inout [Int]) -> Ranking {
        rank(ticket: ticket, settings: settings, input: ListedCandidates(candidates: candidates), now: now, limit: limit,
             explain: explain, chosen: &chosen)
    }

    /// Ranks `people[pool[i]]` with `signals[i]`, `openWork[i]` and `recentEffort[i]`, as
    /// ``rank(ticket:settings:candidates:now:limit:explain:chosen:)`` ranks the same candidates as ``CandidateSignals``,
    /// without copying each person into one (only the ranked ones are). `chosen`: positions in `pool`.
    public static func rank(ticket: Ticket, settings: ProjectSettings, people: UnsafeBufferPointer<Person>, pool: [Int],
                            signals: [HistoryModel.Signals], openWork: [[OpenTicket]], recentEffort: [Double], now: Date,
                            limit: Int = 10, explain: Bool = true, chosen: inout [Int]) -> Ranking {
        precondition(signals.count == pool.count && openWork.count == pool.count && recentEffort.count == pool.count)
        precondition(pool.allSatisfy { people.indices.contains($0) }, "pool: positions in people")
        return rank(ticket: ticket, settings: settings,
                    input: PooledCandidates(people: people, pool: pool, signals: signals, openWork: openWork, recentEffort: recentEffort),
                    now: now, limit: limit, explain: explain, chosen: &chosen)
    }

    private static func rank<Input: RankerInput>(ticket: Ticket, settings: ProjectSettings, input: Input, now: Date, limit: Int,
                                                 explain: Bool, chosen: inout [Int]) -> Ranking {
        let weights = ScoringFactor.allCases.map { settings.weights[$0.rawValue] ?? ScoringFactor.defaultWeights[$0.rawValue] ?? 0 }
        let totalWeight = max(weights.reduce(0, +), 1e-9)
        let count = input.count
        var maxEffort = 0.0   // what `(0..<count).map(input.recentEffort).max() ?? 0` gives, without the array
        if count > 0 {
            maxEffort = input.recentEffort(0)
            for index in 1..<max(count, 1) where maxEffort < input.recentEffort(index) { maxEffort = input.recentEffort(index) }
        }

        // Score everyone cheaply (arrays, no per-candidate allocation); explain only the ones returned.
        var values = [Double](repeating: 0, count: count * factorCount)
        var scores = [Double](repeating: 0, count: count)
        var availabilities: [Availability.Result] = []
        var workloads: [(value: Double, load: Double, capacity: Double)] = []
        availabilities.reserveCapacity(count)
        workloads.reserveCapacity(count)
        for index in 0..<count {
            let signals = input.inputs(index, ticket: ticket, now: now, staleDays: settings.staleDays)
            let availability = signals.availability
            let workload = signals.workload
            let fairness = maxEffort > 0 ? 1 - input.recentEffort(index) / maxEffort : 1
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
        let order = topIndexes(scores, limit: limit) { input.id($0) }
        chosen = order
        // The ranked candidates' factors, each candidate's in ScoringFactor.allCases order, one after the other.
        var factorLists: [RankedCandidate.Factor] = []
        factorLists.reserveCapacity(order.count * factorCount)
        var top: [RankedCandidate] = []
        var facts: [Fact] = []
        top.reserveCapacity(order.count)
        facts.reserveCapacity(order.count)
        var memo = Reasons.Memo()
        for index in order {
            let base = index * factorCount
            let first = factorLists.count
            for factor in 0..<factorCount {
                let value = values[base + factor]
                factorLists.append(RankedCandidate.Factor(value: round4(value), weight: weights[factor],
                                                          contribution: round4(weights[factor] * value / totalWeight)))
            }
            // The template's layout with this candidate's factors: no hashing of the names per candidate.
            let factors = factorTemplate.mapValues { factorLists[first + $0] }
            let reasons = explain
                ? Reasons.strengths(input.evidence(index), availability: availabilities[index], load: workloads[index], memo: &memo) : []
            top.append(RankedCandidate(person: input.id(index), score: round4(scores[index]), factors: factors, reasons: reasons))
            facts.append(Fact(index: index, availability: availabilities[index]))
        }
        if explain, top.count > 1 {
            let winnerName = input.displayName(order[0])
            factorLists.withUnsafeBufferPointer { lists in
                let winner = UnsafeBufferPointer(rebasing: lists[0..<factorCount])
                for position in top.indices.dropFirst() {
                    let mine = UnsafeBufferPointer(rebasing: lists[(position * factorCount)..<((position + 1) * factorCount)])
                    Reasons.appendWhyLost(mine, against: winner, winnerName: winnerName, to: &top[position].reasons)
                }
            }
            // A skill of the ticket the winner declared and a runner-up did not is named.
            let winnerSkills = input.evidence(order[0]).declaredSkills
            if !winnerSkills.isEmpty {
                for position in top.indices.dropFirst() {
                    let mine = input.evidence(order[position]).declaredSkills
                    if let missing = winnerSkills.first(where: { skill in !mine.contains { $0.skill == skill.skill } }) {
                        top[position].reasons.append("has not declared \(missing.skill), which \(winnerName) has (declared \(missing.level))")
                    }
                }
            }
        }
        // Required skills: the ranked people below a required level are shown as missing it, and never assigned.
        let required = RequiredSkill.effective(project: settings.requiredSkills, ticket: ticket.requiredSkills)
        var requirementNote: String?
        if !required.isEmpty {
            if explain {
                for position in top.indices {
                    let missing = Self.missing(required, declared: input.declaredSkills(order[position]))
                    if !missing.isEmpty { top[position].reasons.append("missing required " + missing.joined(separator: ", ")) }
                }
            }
            if !(0..<count).contains(where: { Self.missing(required, declared: input.declaredSkills($0)).isEmpty }) {
                requirementNote = "nobody in the candidate pool has the required skills ("
                    + required.map { "\($0.skill) at level \($0.minLevel) or more" }.joined(separator: ", ") + ")"
            }
        }
        let first = top.first?.score ?? 0
        let second = top.count > 1 ? top[1].score : 0
        let confidence = first > 0 ? round4((first - second) / first) : 0

        // Nobody fits: everyone away, or no one with any skill or history match.
        let anyFit = facts.contains { fact in
            let (skillFit, similarWork, recentActivity) = input.learned(fact.index)
            return !fact.availability.awayToday && (skillFit > 0 || similarWork > 0 || recentActivity > 0)
        }
        guard let best = top.first, let bestFact = facts.first, anyFit else {
            return nobodyFits(top, settings: settings,
                              cause: top.isEmpty ? "nobody is in the candidate pool" : "nobody fits (everyone away or no skill match)")
        }
        if let requirementNote {
            return Ranking(candidates: top, confidence: confidence, action: .suggest, assignee: nil,
                           note: requirementNote + ": nobody is assigned automatically; the ranking is only a suggestion")
        }
        if settings.autoAssign {
            if !required.isEmpty, !Self.missing(required, declared: input.declaredSkills(bestFact.index)).isEmpty {
                return Ranking(candidates: top, confidence: confidence, action: .suggest, assignee: nil,
                               note: "the best candidate lacks a required skill, so this is only a suggestion")
            }
            if bestFact.availability.awayToday {
                return Ranking(candidates: top, confidence: confidence, action: .suggest, assignee: nil,
                               note: "the best candidate is away today, so this is only a suggestion")
            }
            if input.optedOut(bestFact.index) {
                return Ranking(candidates: top, confidence: confidence, action: .suggest, assignee: nil,
                               note: "the best candidate opted out of automatic assignment, so this is only a suggestion")
            }
            if confidence >= settings.confidenceThreshold {
                return Ranking(candidates: top, confidence: confidence, action: .assign, assignee: best.person,
                               note: "confident: the first leads the next by \(percent(confidence)) of their score (auto-assign needs \(percent(settings.confidenceThreshold))): assigning automatically")
            }
            return Ranking(candidates: top, confidence: confidence, action: .suggest, assignee: nil,
                           note: "not confident enough to assign: the first leads the next by \(percent(confidence)) of their score, auto-assign needs \(percent(settings.confidenceThreshold)); the ranking is only a suggestion")
        }
        return Ranking(candidates: top, confidence: confidence, action: .suggest, assignee: nil,
                       note: "auto-assign is off: the ranking is only a suggestion")
    }

    /// The ranking when nobody fits, for `cause` (said first in the note, then what happens, then `advice`):
    /// the project's default assignee is assigned only when the project assigns automatically; otherwise it
    /// is only suggested.
    public static func nobodyFits(_ candidates: [RankedCandidate], settings: ProjectSettings, cause: String,
                                  advice: String? = nil) -> Ranking {
        let action: Ranking.Action
        let outcome: String
        switch (settings.defaultAssignee, settings.autoAssign) {
        case (nil, _):
            (action, outcome) = (.unassigned, " and the project has no default assignee: leaving it unassigned")
        case (let fallback?, false):
            (action, outcome) = (.suggest, ": auto-assign is off, so the project's default assignee (\(fallback)) is only suggested")
        case (_?, true):
            (action, outcome) = (.fallback, ": falling back to the project's default assignee")
        }
        return Ranking(candidates: candidates, confidence: 0, action: action, assignee: action == .fallback ? settings.defaultAssignee : nil,
                       note: cause + outcome + (advice.map { ". \($0)" } ?? ""))
    }

    /// The requirements a person's declared skills do not meet, in words ("kubernetes 4 (declared 2)").
    static func missing(_ required: [RequiredSkill], declared: [Person.DeclaredSkill]) -> [String] {
        required.compactMap { requirement in
            let level = declared.first { $0.skill.lowercased() == requirement.skill }?.level
            guard (level ?? 0) < requirement.minLevel else { return nil }
            return "\(requirement.skill) \(requirement.minLevel) (" + (level.map { "declared \($0)" } ?? "not declared") + ")"
        }
    }

    static let factorCount = ScoringFactor.allCases.count
    static let factorNames = ScoringFactor.allCases.map(\.rawValue)
    /// Each factor name's position in `ScoringFactor.allCases`; a candidate's factors are this dictionary's `mapValues`
    /// (same layout, so the names are not hashed again for every candidate).
    static let factorTemplate: [String: Int] = Dictionary(uniqueKeysWithValues: factorNames.enumerated().map { ($1, $0) })

    /// What the ranking's last checks read of a ranked candidate.
    private struct Fact {
        var index: Int
        var availability: Availability.Result
    }

    /// The indexes of the `limit` best scores, best first (ties by person id), without sorting everyone.
    static func topIndexes(_ scores: [Double], candidates: [CandidateSignals], limit: Int) -> [Int] {
        topIndexes(scores, limit: limit) { candidates[$0].person.id }
    }

    /// ``topIndexes(_:candidates:limit:)`` with candidate `index`'s person id given by `id(index)`.
    static func topIndexes(_ scores: [Double], limit: Int, id: (Int) -> String) -> [Int] {
        let limit = max(0, limit)
        var top: [Int] = []
        top.reserveCapacity(limit + 1)
        func better(_ a: Int, _ b: Int) -> Bool {
            scores[a] != scores[b] ? scores[a] > scores[b] : id(a) < id(b)
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

/// What the ranker reads of its candidates, by index: everything for scoring everyone, the whole
/// ``CandidateSignals`` only for the ones it returns.
private protocol RankerInput {
    var count: Int { get }
    func recentEffort(_ index: Int) -> Double
    func inputs(_ index: Int, ticket: Ticket, now: Date, staleDays: Int)
        -> (skillFit: Double, similarWork: Double, recentActivity: Double, availability: Availability.Result,
            workload: (value: Double, load: Double, capacity: Double))
    func id(_ index: Int) -> String
    func displayName(_ index: Int) -> String
    func optedOut(_ index: Int) -> Bool
    /// The skills the person declared.
    func declaredSkills(_ index: Int) -> [Person.DeclaredSkill]
    /// skillFit, similarWork and recentActivity as given (not clamped).
    func learned(_ index: Int) -> (skillFit: Double, similarWork: Double, recentActivity: Double)
    func evidence(_ index: Int) -> Reasons.Evidence
}

/// Candidates as a list of ``CandidateSignals``.
private struct ListedCandidates: RankerInput {
    let candidates: [CandidateSignals]
    var count: Int { candidates.count }
    func recentEffort(_ index: Int) -> Double { candidates[index].recentEffort }
    func inputs(_ index: Int, ticket: Ticket, now: Date, staleDays: Int)
        -> (skillFit: Double, similarWork: Double, recentActivity: Double, availability: Availability.Result,
            workload: (value: Double, load: Double, capacity: Double)) {
        (candidates[index].skillFit, candidates[index].similarWork, candidates[index].recentActivity,
         Availability.evaluate(candidates[index].person, ticket: ticket, now: now),
         Workload.value(open: candidates[index].openWork, person: candidates[index].person, now: now, staleDays: staleDays))
    }
    func id(_ index: Int) -> String { candidates[index].person.id }
    func displayName(_ index: Int) -> String { candidates[index].person.displayName }
    func optedOut(_ index: Int) -> Bool { candidates[index].person.optedOut }
    func declaredSkills(_ index: Int) -> [Person.DeclaredSkill] { candidates[index].person.declaredSkills }
    func learned(_ index: Int) -> (skillFit: Double, similarWork: Double, recentActivity: Double) {
        (candidates[index].skillFit, candidates[index].similarWork, candidates[index].recentActivity)
    }
    func evidence(_ index: Int) -> Reasons.Evidence { Reasons.Evidence(candidates[index]) }
}

/// Candidates as positions in a list of people, with their signals, open work and effort in pool order.
private struct PooledCandidates: RankerInput {
    let people: UnsafeBufferPointer<Person>
    let pool: [Int]
    let signals: [HistoryModel.Signals]
    let openWork: [[OpenTicket]]
    let efforts: [Double]

    init(people: UnsafeBufferPointer<Person>, pool: [Int], signals: [HistoryModel.Signals], openWork: [[OpenTicket]], recentEffort: [Double]) {
        self.people = people
        self.pool = pool
        self.signals = signals
        self.openWork = openWork
        self.efforts = recentEffort
    }

    var count: Int { pool.count }
    func recentEffort(_ index: Int) -> Double { efforts[index] }
    @inline(__always) func inputs(_ index: Int, ticket: Ticket, now: Date, staleDays: Int)
        -> (skillFit: Double, similarWork: Double, recentActivity: Double, availability: Availability.Result,
            workload: (value: Double, load: Double, capacity: Double)) {
        // The person's fields are read in place: a person without time off or working hours (most) is not copied.
        let person = people.baseAddress.unsafelyUnwrapped + pool[index]
        let availability = person.pointee.timeOff.isEmpty && person.pointee.workingHours == nil
            ? Availability.plain(active: person.pointee.active)
            : Availability.evaluate(person.pointee, ticket: ticket, now: now)
        let workload = Workload.value(open: openWork[index], weeklyCapacity: person.pointee.weeklyCapacity, now: now, staleDays: staleDays)
        return (signals[index].skillFit, signals[index].similarWork, signals[index].recentActivity, availability, workload)
    }
    func id(_ index: Int) -> String { people[pool[index]].id }
    func displayName(_ index: Int) -> String { people[pool[index]].displayName }
    func optedOut(_ index: Int) -> Bool { people[pool[index]].optedOut }
    func declaredSkills(_ index: Int) -> [Person.DeclaredSkill] { people[pool[index]].declaredSkills }
    func learned(_ index: Int) -> (skillFit: Double, similarWork: Double, recentActivity: Double) {
        (signals[index].skillFit, signals[index].similarWork, signals[index].recentActivity)
    }
    func evidence(_ index: Int) -> Reasons.Evidence {
        let person = people.baseAddress.unsafelyUnwrapped + pool[index]
        return Reasons.Evidence(similarTickets: signals[index].similarTickets, siblings: signals[index].siblings,
                                matchedSkills: signals[index].matchedSkills, matchedSkillTickets: signals[index].matchedSkillTickets,
                                declaredSkills: signals[index].declaredSkills,
                                recentActivity: signals[index].recentActivity,
                                active: person.pointee.active, capacityUnit: person.pointee.capacityUnit, optedOut: person.pointee.optedOut)
    }
}
