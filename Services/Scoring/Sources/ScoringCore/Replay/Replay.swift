import Foundation
import Model

/// The replay protocol of docs/evaluation.md: order by resolution, learn the first 80%, then for
/// each remaining ticket rank the pool (everyone who resolved a ticket in the 365 days before it)
/// seeing only what is known at creation, record the ranking, and learn the ticket.
public struct Replay: Sendable {
    /// One prediction: the ticket and the people ranked for it, best first.
    public struct Prediction: Sendable, Codable, Equatable {
        public var key: String
        public var ranked: [String]
    }

    public struct Result: Sendable {
        public var predictions: [Prediction]
        /// Over every test ticket.
        public var all: ReplayScore
        /// Over test tickets whose assignee was in the pool (the fair figure).
        public var inPool: ReplayScore
        public var learned: Int
        public var seconds: Double
        /// The system's first choice for each test ticket ("" when the pool was empty), and its skill fit.
        public var picks: [String]
        public var pickSkillFits: [Double]
        /// Everyone who was in the pool of at least one test ticket.
        public var people: [String]
    }

    public var settings: ProjectSettings
    public var parameters: HistoryModel.Parameters
    /// Rank test tickets as if they arrived without components and labels (before triage); they are still
    /// learned with them. Measures what the learned skill detector adds.
    public var hideSkills = false
    /// Makes the detection each run uses, as production detects (the skills service's local detector: SkillsCore
    /// `HistorySkillDetector`): every learned ticket is learned by it too, and each test ticket is ranked with the
    /// skills it detects for the ticket as it arrives. Nil: tickets are ranked with their components and labels alone.
    public var skillSource: (@Sendable () -> any TicketSkillSource)?

    public init(settings: ProjectSettings = ProjectSettings(), parameters: HistoryModel.Parameters = HistoryModel.Parameters()) {
        self.settings = settings
        self.parameters = parameters
    }

    /// Runs the protocol over `records` (tickets never resolved are skipped; unassigned ones take part
    /// as in the reference scorer, under the empty name, but are never learned or recommended).
    public func run(_ records: [HistoryRecord], progress: (Int, Int) -> Void = { _, _ in }) -> Result {
        let started = Date()
        let rows = records.filter { $0.resolved != nil }
            .sorted { ($0.resolved!, $0.key) < ($1.resolved!, $1.key) }
        let cut = Int(Double(rows.count) * 0.8)
        let model = HistoryModel(parameters: parameters)
        let skills = skillSource?()
        for row in rows[..<cut] { learn(model, skills, row) }
        // Effort (story points, 1 when unestimated) of every learned ticket, in resolution order, for fairness.
        var efforts: [(time: Double, person: String, effort: Double)] = rows[..<cut].compactMap { row in
            row.assignee.map { (row.resolved!.timeIntervalSince1970, $0, max(0.5, row.storyPoints ?? 1)) }
        }

        // The pool: a sliding window of assignees resolved in the 365 days before each ticket.
        var window: [(time: Date, person: String)] = rows[..<cut].map { ($0.resolved!, $0.assignee ?? "") }
        var windowStart = 0
        var counts: [String: Int] = [:]
        for entry in window { counts[entry.person, default: 0] += 1 }

        var predictions: [Prediction] = []
        var picks: [String] = []
        var pickSkillFits: [Double] = []
        var people = Set<String>()
        var pool: [String] = []
        var poolSize = -1
        var poolDirty = true
        var all = ReplayScore()
        var inPool = ReplayScore()
        for (index, row) in rows[cut...].enumerated() {
            let resolved = row.resolved!
            while windowStart < window.count, window[windowStart].time < resolved.addingTimeInterval(-365 * 86_400) {
                let person = window[windowStart].person
                counts[person]! -= 1
                if counts[person] == 0 {
                    counts[person] = nil
                    poolDirty = true
                }
                windowStart += 1
            }
            if counts.count != poolSize || poolDirty {
                pool = counts.keys.filter { !$0.isEmpty }.sorted()
                poolSize = counts.count
                poolDirty = false
                people.formUnion(pool)
            }
            let ranking = rank(model, skills, row, pool: pool, recentEffort: Self.recentEffort(efforts, before: row.created))
            let ranked = ranking.candidates.map(\.person)
            predictions.append(Prediction(key: row.key, ranked: ranked))
            picks.append(ranked.first ?? "")
            pickSkillFits.append(ranking.candidates.first?.factors[ScoringFactor.skillFit.rawValue]?.value ?? 0)
            let assignee = row.assignee ?? ""
            let rank = ranked.firstIndex(of: assignee).map { $0 + 1 }
            all.add(rank: rank)
            if counts[assignee] != nil { inPool.add(rank: rank) }
            learn(model, skills, row)
            if let assignee = row.assignee { efforts.append((resolved.timeIntervalSince1970, assignee, max(0.5, row.storyPoints ?? 1))) }
            window.append((resolved, assignee))
            if counts[assignee] == nil { poolDirty = true }
            counts[assignee, default: 0] += 1
            if index % 200 == 0 { progress(index, rows.count - cut) }
        }
        progress(rows.count - cut, rows.count - cut)
        return Result(predictions: predictions, all: all.rates, inPool: inPool.rates, learned: cut,
                      seconds: Date().timeIntervalSince(started), picks: picks, pickSkillFits: pickSkillFits, people: people.sorted())
    }

    private func learn(_ model: HistoryModel, _ skills: (any TicketSkillSource)?, _ row: HistoryRecord) {
        skills?.learn(row)
        // The skills service detects a resolved ticket's skills with what it has learned (this ticket included), as
        // scoring asks for them (`skills.v1/TicketSkills`).
        let detected = parameters.detectedSkillShare > 0 ? skills?.skills(of: row) ?? [] : []
        model.learn(HistoryModel.TicketText(row, detected: detected), assignee: row.assignee, resolved: row.resolved!)
    }

    /// The ranking of `pool` for `row` (top 10), using only what is known when it was created.
    /// Effort each person resolved in the 30 days before `time` (what the fairness factor weighs).
    static func recentEffort(_ efforts: [(time: Double, person: String, effort: Double)], before time: Date) -> [String: Double] {
        let end = time.timeIntervalSince1970
        let start = end - 30 * 86_400
        var result: [String: Double] = [:]
        var index = efforts.count - 1
        while index >= 0, efforts[index].time >= start {
            if efforts[index].time <= end { result[efforts[index].person, default: 0] += efforts[index].effort }
            index -= 1
        }
        return result
    }

    private func rank(_ model: HistoryModel, _ skills: (any TicketSkillSource)?, _ row: HistoryRecord, pool: [String],
                      recentEffort: [String: Double]) -> Ranking {
        var row = row
        if hideSkills {
            row.components = []
            row.labels = []
        }
        let detected = skills?.skills(of: row) ?? []
        let signals = model.signals(for: HistoryModel.TicketText(row, detected: detected), candidates: pool, now: row.created)
        let ticket = Ticket(key: row.key, project: row.project, title: row.title, description: row.description,
                            components: row.components, labels: row.labels, priority: row.priority,
                            storyPoints: row.storyPoints, created: row.created)
        let candidates = zip(pool, signals).map { id, signal in
            CandidateSignals(person: Person(id: id, displayName: id), skillFit: signal.skillFit,
                             similarWork: signal.similarWork, recentActivity: signal.recentActivity,
                             matchedSkills: signal.matchedSkills, similarTickets: signal.similarTickets,
                             recentEffort: recentEffort[id] ?? 0)
        }
        // Workload and availability have no data in a history (open work, time off): they are neutral here.
        // Fairness is known: the effort each person resolved in the 30 days before the ticket.
        var settings = self.settings
        for factor in [ScoringFactor.workload, .availability] { settings.weights[factor.rawValue] = 0 }
        return Ranker.rank(ticket: ticket, settings: settings, candidates: candidates, now: row.created, limit: 10, explain: false)
    }
}
