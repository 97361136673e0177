import Contracts
import Foundation
import Lifecycle
import Model
import ScoringCore
import Synchronization

/// One tenant's learned history, behind a lock; bootstrapped from storage on first use.
final class TenantModel: MemoryEstimating {
    /// How far the model has followed storage (``TenantModels/follow(_:model:version:)``).
    let following = Mutex(FollowState())
    private struct State {
        var model = HistoryModel()
        var learnedKeys = Set<String>()
        /// The overrides learned (ticket, from, to): one told at once and also read from the decision log by a load
        /// under way counts once.
        var learnedOverrides = Set<[String]>()
        /// Bumped whenever the model learns, so caches of what it says are refreshed.
        var generation = 0
        /// What the model knows of each snapshot person (same positions), for one snapshot version and model generation.
        var prepared: Prepared?
        /// The `recent` pool of `prepared` last taken: its length of ``Prepared/byLastResolved`` and positions.
        var recentPool: (prefix: Int, positions: [Int])?
    }

    /// Each snapshot person's last resolution and model index, looked up once per snapshot and model change,
    /// not once per request.
    struct Prepared {
        let version: String
        let generation: Int
        let lastResolved: [Date?]
        let modelIndexes: [Int]
        /// What the pool rules read of each person, so a request does not walk the people themselves.
        let active: [Bool]
        let assignable: [Bool]
        let declaresSkills: [Bool]
        /// The positions of the people each rule can take: active and assignable; active.
        let assignablePositions: [Int]
        let activePositions: [Int]
        /// Active people who resolved a ticket, most recent last resolution first (ties by position), and the
        /// positions of the active ones who never did but declare skills: the `recent` rule's pool is a prefix of
        /// the first (those within the year) and all of the second.
        let byLastResolved: [(last: Date, position: Int)]
        let neverResolvedWithSkills: [Int]

        init(version: String, generation: Int, people: [Person], modelIndexes: [Int], lastResolved: [Date?]) {
            self.version = version
            self.generation = generation
            self.lastResolved = lastResolved
            self.modelIndexes = modelIndexes
            let active = people.map(\.active), assignable = people.map(\.assignable)
            let declaresSkills = people.map { !$0.declaredSkills.isEmpty }
            let activePositions = people.indices.filter { active[$0] }
            self.active = active
            self.assignable = assignable
            self.declaresSkills = declaresSkills
            self.activePositions = activePositions
            assignablePositions = activePositions.filter { assignable[$0] }
            byLastResolved = activePositions.compactMap { position in lastResolved[position].map { (last: $0, position: position) } }
                .sorted { $0.last != $1.last ? $0.last > $1.last : $0.position < $1.position }
            neverResolvedWithSkills = activePositions.filter { lastResolved[$0] == nil && declaresSkills[$0] }
        }

        /// The positions of the people in the pool of `rule` at `now`, in people order: what testing each person with
        /// ``inPool(_:rule:now:)`` gives, without testing everyone.
        func pool(rule: PoolRule, now: Date) -> [Int] {
            switch rule {
            case .assignable: return assignablePositions
            case .all: return activePositions
            case .recent: return recentPool(prefix: recentPrefix(now: now))
            }
        }

        /// How many of ``byLastResolved`` resolved a ticket within the year before `now`: `now - last <= year` holds
        /// for a prefix of them (the difference only grows as `last` falls). The `recent` pool depends on nothing else.
        func recentPrefix(now: Date) -> Int {
            var low = 0, high = byLastResolved.count
            while low < high {
                let middle = (low + high) / 2
                if now.timeIntervalSince(byLastResolved[middle].last) <= Self.year { low = middle + 1 } else { high = middle }
            }
            return low
        }

        /// The `recent` pool with the first `prefix` of ``byLastResolved``, in people order.
        func recentPool(prefix: Int) -> [Int] {
            var positions = neverResolvedWithSkills
            positions.reserveCapacity(positions.count + prefix)
            for entry in byLastResolved[..<prefix] { positions.append(entry.position) }
            positions.sort()
            return positions
        }

        static let year: TimeInterval = 365 * 86_400

        /// ``TenantModel/inPool(_:rule:lastResolved:now:)`` for the person at `index`.
        func inPool(_ index: Int, rule: PoolRule, now: Date) -> Bool {
            guard active[index] else { return false }
            switch rule {
            case .assignable: return assignable[index]
            case .all: return true
            case .recent:
                guard let last = lastResolved[index] else { return declaresSkills[index] }
                return now.timeIntervalSince(last) <= Self.year
            }
        }
    }

    private let state = Mutex(State())

    /// The tickets among `tickets` that ``learn(_:skills:)`` would learn now: resolved, assigned, not learned before.
    /// The learned model's estimated size, plus the key sets that go with it (for the memory budget).
    var estimatedBytes: Int {
        state.withLock { state in
            state.model.estimatedBytes + state.learnedKeys.count * 64 + state.learnedOverrides.count * 128
                + (state.prepared.map { $0.modelIndexes.count * 64 } ?? 0)
        }
    }

    func unlearned(_ tickets: [Ticket]) -> [Ticket] {
        let learnable = tickets.filter { $0.resolved != nil && $0.assignee != nil }
        let known = state.withLock { $0.learnedKeys }
        return learnable.filter { !known.contains($0.key) }
    }

    /// Learns the tickets not learned before (resolved and assigned), oldest resolution first, each with its skills as
    /// the skills service detected them (`skills`, by key; a ticket without is learned by its components and labels).
    @discardableResult
    func learn(_ tickets: [Ticket], skills: [String: [DetectedSkill]] = [:]) -> Int {
        let fresh = tickets.filter { $0.resolved != nil && $0.assignee != nil }.sorted { $0.resolved! < $1.resolved! }
        return state.withLock { state in
            var count = 0
            for ticket in fresh where state.learnedKeys.insert(ticket.key).inserted {
                state.model.learn(HistoryModel.TicketText(ticket, detected: skills[ticket.key] ?? []), assignee: ticket.assignee,
                                  resolved: ticket.resolved!)
                count += 1
            }
            if count > 0 { state.generation += 1 }
            return count
        }
    }

    /// Learns manual overrides not learned before: each lowers the overridden person for that kind of ticket (its
    /// components and labels, or its skills as the skills service detected them: `skills`, by ticket key).
    @discardableResult
    func learnOverrides(_ overrides: [ScoringContract.Override], skills: [String: [DetectedSkill]] = [:]) -> Int {
        guard !overrides.isEmpty else { return 0 }
        return state.withLock { state in
            var count = 0
            for override in overrides
            where state.learnedOverrides.insert([override.ticket.key, override.from, override.to ?? ""]).inserted {
                state.model.learnOverride(HistoryModel.TicketText(override.ticket, detected: skills[override.ticket.key] ?? []), from: override.from,
                                          at: override.at ?? override.ticket.updated)
                count += 1
            }
            if count > 0 { state.generation += 1 }
            return count
        }
    }

    /// The learned skill profile of `person` (``HistoryModel/profile(of:now:)``), as the contract gives it.
    func profile(of person: String, now: Date) -> [ScoringContract.ProfileSkill] {
        state.withLock { $0.model.profile(of: person, now: now) }.map {
            .init(skill: $0.skill, learned: $0.learned, evidence: $0.tickets, lastUsed: $0.lastUsed, overrides: $0.overrides)
        }
    }

    /// Ranks the snapshot's people (those in `restrictTo` when given) with the snapshot's open work
    /// and recent effort; the ranking carries the candidates' display names. Only the learned signals are
    /// computed under the lock; the weighing and explaining happen outside it.
    func rank(_ request: ScoringContract.RankRequest, snapshot: TenantSnapshot) -> Ranking {
        let now = request.now ?? Date()
        let allowed = request.restrictTo.map(Set.init)
        let rule = PoolRule(request.settings.candidatePool)
        let openWork = snapshot.openWorkByPerson(excluding: request.ticket.key)
        // The fairness window ends at the ranking's `now`, like every other time the ranking reads.
        let recentEffort = snapshot.recentEffortByPerson(since: now.addingTimeInterval(-TenantSnapshot.effortWindow), until: now)
        var detected = DetectedSkills(request)
        let text = HistoryModel.TicketText(request.ticket, detected: detected.predictionsNeeded)
        return snapshot.people.withUnsafeBufferPointer { people in   // each pool Person is copied once, into its signals
            let (pool, learned, emptyPool) = state.withLock { state -> ([Int], [HistoryModel.Signals], (cause: String, advice: String)?) in
                if state.prepared?.version != snapshot.version || state.prepared?.generation != state.generation {
                    let modelIndexes = state.model.personIndexes(snapshot.people.map(\.id))
                    state.prepared = Prepared(version: snapshot.version, generation: state.generation, people: snapshot.people,
                                              modelIndexes: modelIndexes,
                                              lastResolved: modelIndexes.map { state.model.lastResolved(index: $0) })
                    state.recentPool = nil
                }
                let prepared = state.prepared!
                var pool: [Int]
                if rule == .recent {
                    // The same pool until someone's last resolution leaves the year: kept, not sorted again.
                    let prefix = prepared.recentPrefix(now: now)
                    if let cached = state.recentPool, cached.prefix == prefix {
                        pool = cached.positions
                    } else {
                        pool = prepared.recentPool(prefix: prefix)
                        state.recentPool = (prefix, pool)
                    }
                } else {
                    pool = prepared.pool(rule: rule, now: now)
                }
                let ruled = pool.count
                if let allowed { pool.removeAll { !allowed.contains(people[$0].id) } }
                let signals = state.model.signals(for: text, candidateIndexes: pool.map { prepared.modelIndexes[$0] }, now: now)
                let emptyPool = pool.isEmpty
                    ? rule.emptyPool(project: request.ticket.project, ruledOut: ruled == 0,
                                     lastResolution: prepared.byLastResolved.first?.last, now: now)
                    : nil
                return (pool, signals, emptyPool)
            }
            var signals = learned
            Self.applyDeclaredSkills(&detected, people: people, pool: pool, signals: &signals)
            var chosen: [Int] = []
            var ranking = Self.rank(request.ticket, people: people, pool: pool, signals: signals, settings: request.settings,
                                    openWork: { openWork[$0] }, recentEffort: { recentEffort[$0] }, limit: request.limit, now: now,
                                    chosen: &chosen)
            if let emptyPool { ranking = Ranker.nobodyFits([], settings: request.settings, cause: emptyPool.cause, advice: emptyPool.advice) }
            ranking.names = Dictionary(chosen.map { (people[pool[$0]].id, people[pool[$0]].displayName) }, uniquingKeysWith: { first, _ in first })
            return ranking
        }
    }

    /// Ranks the request's candidates (only those in `restrictTo` when given, as over a snapshot); `detected`: the ticket's
    /// skills, when known already (instead of the request's `skillsJSON`).
    func rank(_ request: ScoringContract.RankRequest, detected skills: [DetectedSkill]? = nil) -> Ranking {
        let now = request.now ?? Date()
        let rule = PoolRule(request.settings.candidatePool)
        let allowed = request.restrictTo.map(Set.init)
        var detected = DetectedSkills(request, detected: skills)
        let text = HistoryModel.TicketText(request.ticket, detected: detected.predictionsNeeded)
        let candidates = request.people
        let (pool, learned, ruledOut, lastResolution) = state.withLock { state -> ([Int], [HistoryModel.Signals], Bool, Date?) in
            let lastResolved = candidates.map { $0.active ? state.model.lastResolved($0.id) : nil }
            let ruled = candidates.indices.filter { Self.inPool(candidates[$0], rule: rule, lastResolved: lastResolved[$0], now: now) }
            let pool = allowed.map { allowed in ruled.filter { allowed.contains(candidates[$0].id) } } ?? ruled
            let signals = state.model.signals(for: text, candidates: pool.map { candidates[$0].id }, now: now)
            return (pool, signals, ruled.isEmpty, lastResolved.compactMap { $0 }.max())
        }
        return request.people.withUnsafeBufferPointer { people in
            var signals = learned
            Self.applyDeclaredSkills(&detected, people: people, pool: pool, signals: &signals)
            var chosen: [Int] = []
            let ranking = Self.rank(request.ticket, people: people, pool: pool, signals: signals, settings: request.settings,
                                    openWork: { request.openWork[people[$0].id] ?? [] }, recentEffort: { request.recentEffort[people[$0].id] ?? 0 },
                                    limit: request.limit, now: now, chosen: &chosen)
            guard pool.isEmpty else { return ranking }
            let empty = rule.emptyPool(project: request.ticket.project, ruledOut: ruledOut, lastResolution: lastResolution, now: now)
            return Ranker.nobodyFits([], settings: request.settings, cause: empty.cause, advice: empty.advice)
        }
    }

    /// Raises each pooled person's skillFit to how much of the ticket's skills (as the skills service detected them)
    /// they declared, and keeps the matches for the reasons. Nothing is decoded unless someone in the pool declared
    /// skills.
    static func applyDeclaredSkills(_ detected: inout DetectedSkills, people: UnsafeBufferPointer<Person>, pool: [Int],
                                    signals: inout [HistoryModel.Signals]) {
        guard pool.contains(where: { !people[$0].declaredSkills.isEmpty }), let all = detected.all else { return }
        let skills = TicketSkills(all)
        guard !skills.isEmpty else { return }
        for (index, position) in pool.enumerated() where !people[position].declaredSkills.isEmpty {
            let fit = skills.declaredFit(people[position])
            guard !fit.matched.isEmpty else { continue }
            // An override away on this kind of ticket lowers a declared skill as it lowers a learned one.
            signals[index].skillFit = max(signals[index].skillFit, fit.value * signals[index].overrideKeep)
            signals[index].declaredSkills = fit.matched
        }
    }

    /// The project's pool rule (``ProjectSettings/candidatePool``), read once per request rather than once per person.
    enum PoolRule {
        case assignable, all, recent
        init(_ name: String) {
            switch name {
            case "assignable": self = .assignable
            case "all": self = .all
            default: self = .recent
            }
        }

        /// Why the pool of `project` is empty, and what to do about it, for a ranking's note. `ruledOut`: this
        /// rule left nobody (otherwise Jira's assignable list did); `lastResolution`: the latest resolution by
        /// an active person.
        func emptyPool(project: String, ruledOut: Bool, lastResolution: Date?, now: Date) -> (cause: String, advice: String) {
            let settings = "in the project's settings (Settings in the panel, or PUT /api/v1/projects/\(project)/settings)"
            guard ruledOut else {
                return ("nobody in the candidate pool is assignable in Jira's \(project)",
                        "Check who may be assigned in \(project) in Jira, then run a Jira sync")
            }
            switch self {
            case .recent:
                let last = lastResolution.map { last in
                    ", and the latest resolution was on \(ISO8601.format(last).prefix(10)), \(Int(now.timeIntervalSince(last) / 86_400)) days before"
                } ?? ", and nobody has resolved a ticket"
                return ("nobody is in the candidate pool (the pool rule `recent` takes people who resolved a ticket in the 365 days "
                        + "before the ranking or who declared skills\(last))",
                        "Set the candidate pool to `all` \(settings), or declare people's skills")
            case .assignable:
                return ("nobody is in the candidate pool (the pool rule `assignable` takes only people Jira lists as assignable, and there are none)",
                        "Sync the project from Jira, or set the candidate pool to `all` \(settings)")
            case .all:
                return ("nobody is in the candidate pool (the tenant has no active people)",
                        "Import tickets with assignees, or mark people active (PATCH /api/v1/people/{id})")
            }
        }
    }

    /// The project's pool rule: active people, and the assignable ones, everyone, or (the default)
    /// those who resolved a ticket in the last year or, never having resolved one, declared skills.
    /// (``Prepared/inPool(_:rule:now:)`` is the same rule over a snapshot's prepared flags.)
    private static func inPool(_ person: borrowing Person, rule: PoolRule, lastResolved: Date?, now: Date) -> Bool {
        guard person.active else { return false }
        switch rule {
        case .assignable: return person.assignable
        case .all: return true
        case .recent:
            guard let last = lastResolved else { return !person.declaredSkills.isEmpty }
            return now.timeIntervalSince(last) <= 365 * 86_400
        }
    }

    /// Ranks `people[pool]` (indexes into `people`) with their learned `signals` (same order as `pool`) and the
    /// open work and recent effort of `people[index]` given by index; `chosen`: the ranked ones' positions in `pool`.
    private static func rank(_ ticket: Ticket, people: UnsafeBufferPointer<Person>, pool: [Int], signals: [HistoryModel.Signals],
                             settings: ProjectSettings, openWork: (Int) -> [OpenTicket], recentEffort: (Int) -> Double, limit: Int?,
                             now: Date, chosen: inout [Int]) -> Ranking {
        Ranker.rank(ticket: ticket, settings: settings, people: people, pool: pool, signals: signals, openWork: pool.map(openWork),
                    recentEffort: pool.map(recentEffort), now: now, limit: min(max(limit ?? 10, 1), 100), chosen: &chosen)
    }
}
