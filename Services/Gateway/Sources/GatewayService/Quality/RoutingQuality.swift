import Contracts
import Foundation

/// Routing quality in production (`GET /api/v1/projects/{key}/quality`), computed from a project's decision log: how
/// often people took the first suggestion, how often they overrode it, whether automatic assignments stuck.
///
/// The window is the `weeks` ISO weeks (Monday 00:00 UTC) ending with the current one, so every week of `byWeek` is
/// whole but the last. Each event counts in the week of its own decision:
///
/// - `recommended`: `suggested` decisions (a ranking recorded without assigning; an automatic assignment is counted in
///   `autoAssigned` instead).
/// - `assigned`: assignments, `manual`, `override` and `auto` decisions (a rebalance is not counted).
/// - `acceptedTop1` / `acceptedTop3`: assignments to the first (one of the first three) people of the latest suggestion
///   of the ticket before the assignment (a `suggested` or `auto` decision; an `auto` decision is its own suggestion).
///   An assignment no suggestion preceded counts in `assigned` only.
/// - `overrides`: `override` decisions.
/// - `autoAssigned`: `auto` decisions; `autoAssignedKept`: those whose ticket no later decision (manual, override,
///   rebalance, auto) gave to someone else within 7 days. One younger than 7 days counts as kept until it is reassigned.
/// - `medianTimeToAssignHours`: the median, over assignments, of the time from the first suggestion of the ticket
///   since its previous assignment (or ever) to the assignment; null with no such assignment.
///
/// Decisions before the window matter only as suggestions preceding assignments in it: callers pass at least
/// ``lookback`` before the window's start.
struct RoutingQuality: Sendable {
    /// What the computation reads of one decision.
    struct Entry: Sendable, Equatable {
        let id: Int64
        let ticket: String
        let mode: Decision.Mode
        let chosen: String?
        let at: Date
        /// The first three candidates' person ids, in rank order.
        let top: [String]

        init(id: Int64, ticket: String, mode: Decision.Mode, chosen: String?, at: Date, top: [String] = []) {
            self.id = id
            self.ticket = ticket
            self.mode = mode
            self.chosen = chosen
            self.at = at
            self.top = Array(top.prefix(3))
        }

        init(_ decision: Decision) {
            self.init(id: decision.id, ticket: decision.ticket, mode: decision.mode, chosen: decision.chosen, at: decision.at,
                      top: decision.candidates.prefix(3).map(\.person))
        }
    }

    /// The counts of the window or of one week.
    struct Counts: Encodable, Equatable, Sendable {
        var recommended = 0
        var assigned = 0
        var acceptedTop1 = 0
        var acceptedTop3 = 0
        var overrides = 0
        var autoAssigned = 0
        var autoAssignedKept = 0
        var medianTimeToAssignHours: Double?

        private enum CodingKeys: String, CodingKey {
            case recommended, assigned, acceptedTop1, acceptedTop3, overrides, autoAssigned, autoAssignedKept, medianTimeToAssignHours
        }

        /// Writes `medianTimeToAssignHours` as null when there is none.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(recommended, forKey: .recommended)
            try container.encode(assigned, forKey: .assigned)
            try container.encode(acceptedTop1, forKey: .acceptedTop1)
            try container.encode(acceptedTop3, forKey: .acceptedTop3)
            try container.encode(overrides, forKey: .overrides)
            try container.encode(autoAssigned, forKey: .autoAssigned)
            try container.encode(autoAssignedKept, forKey: .autoAssignedKept)
            try container.encode(medianTimeToAssignHours, forKey: .medianTimeToAssignHours)
        }
    }

    /// One ISO week: its Monday (`YYYY-MM-DD`, UTC) and its counts.
    struct Week: Encodable, Equatable, Sendable {
        let week: String
        let counts: Counts

        private enum CodingKeys: String, CodingKey { case week }

        /// `{"week": "2025-01-06", "recommended": ..., ...}`: the week's start, then its counts at the same level.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(week, forKey: .week)
            try counts.encode(to: encoder)
        }
    }

    /// The answer: the window's counts at the top level, then `byWeek`, oldest week first.
    struct Report: Encodable, Equatable, Sendable {
        let project: String
        let weeks: Int
        /// The window's first instant (a Monday, 00:00 UTC) and the time of the computation.
        let since: Date
        let until: Date
        let counts: Counts
        let byWeek: [Week]

        private enum CodingKeys: String, CodingKey { case project, weeks, since, until, byWeek }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(project, forKey: .project)
            try container.encode(weeks, forKey: .weeks)
            try container.encode(since, forKey: .since)
            try container.encode(until, forKey: .until)
            try counts.encode(to: encoder)
            try container.encode(byWeek, forKey: .byWeek)
        }
    }

    /// An automatic assignment changed within this time was not kept.
    static let keptWindow: TimeInterval = 7 * 86_400
    /// How far before the window a caller reads decisions, for the suggestions that precede its assignments.
    static let lookback: TimeInterval = 30 * 86_400
    static let week: TimeInterval = 7 * 86_400

    /// The first instant of the ISO week (Monday 00:00 UTC) holding `date`.
    static func weekStart(of date: Date) -> Date {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        return calendar.date(from: components) ?? date
    }

    /// `YYYY-MM-DD` of `date` in UTC.
    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// The first instant of the window of `weeks` weeks ending with the week of `now`.
    static func windowStart(weeks: Int, now: Date) -> Date {
        weekStart(of: now).addingTimeInterval(-Double(weeks - 1) * week)
    }

    /// The report of `entries` (a project's decisions, in any order) over `weeks` weeks ending with the week of `now`.
    static func compute(project: String, entries: [Entry], weeks: Int, now: Date) -> Report {
        let since = windowStart(weeks: weeks, now: now)
        var total = Tally()
        var byWeek = Array(repeating: Tally(), count: weeks)
        /// The week of `date` in the window, or nil outside it.
        func slot(_ date: Date) -> Int? {
            let index = Int((date.timeIntervalSince(since) / week).rounded(.down))
            return date >= since && index < weeks ? index : nil
        }
        func count(_ date: Date, _ change: (inout Tally) -> Void) {
            guard let index = slot(date) else { return }
            change(&total)
            change(&byWeek[index])
        }

        var latestSuggestion: [String: [String]] = [:]
        var firstSuggestionAt: [String: Date] = [:]
        /// Automatic assignments in the window still watched for a reassignment: ticket to (entry, reassigned).
        var autos: [String: [(entry: Entry, reassigned: Bool)]] = [:]
        for entry in entries.sorted(by: { $0.id < $1.id }) {
            let ticket = entry.ticket
            if entry.mode == .suggested || entry.mode == .auto {
                latestSuggestion[ticket] = entry.top
                if firstSuggestionAt[ticket] == nil { firstSuggestionAt[ticket] = entry.at }
            }
            if entry.mode != .suggested, let chosen = entry.chosen, var watched = autos[ticket] {
                // An assignment (or a rebalance): automatic assignments it changes within 7 days were not kept.
                for index in watched.indices where watched[index].entry.chosen != chosen
                    && entry.at.timeIntervalSince(watched[index].entry.at) <= keptWindow {
                    watched[index].reassigned = true
                }
                autos[ticket] = watched
            }
            switch entry.mode {
            case .suggested:
                count(entry.at) { $0.counts.recommended += 1 }
            case .manual, .override, .auto:
                guard let chosen = entry.chosen else { continue }
                let suggestion = latestSuggestion[ticket]
                let waited = firstSuggestionAt[ticket].map { max(0, entry.at.timeIntervalSince($0)) / 3600 }
                count(entry.at) { tally in
                    tally.counts.assigned += 1
                    if suggestion?.first == chosen { tally.counts.acceptedTop1 += 1 }
                    if suggestion?.contains(chosen) == true { tally.counts.acceptedTop3 += 1 }
                    if entry.mode == .override { tally.counts.overrides += 1 }
                    if entry.mode == .auto { tally.counts.autoAssigned += 1 }
                    if let waited { tally.waits.append(waited) }
                }
                if entry.mode == .auto, slot(entry.at) != nil { autos[ticket, default: []].append((entry, false)) }
                firstSuggestionAt[ticket] = nil
            case .rebalance:
                firstSuggestionAt[ticket] = nil
            }
        }
        for auto in autos.values.joined() where !auto.reassigned {
            count(auto.entry.at) { $0.counts.autoAssignedKept += 1 }
        }
        let weeksOut = byWeek.enumerated().map { index, tally in
            Week(week: day(since.addingTimeInterval(Double(index) * week)), counts: tally.finished)
        }
        return Report(project: project, weeks: weeks, since: since, until: now, counts: total.finished, byWeek: weeksOut)
    }

    /// Counts being added up, with the waits their median comes from.
    private struct Tally {
        var counts = Counts()
        var waits: [Double] = []

        var finished: Counts {
            var result = counts
            result.medianTimeToAssignHours = RoutingQuality.median(waits)
            return result
        }
    }

    /// The median of `values` to 0.1, nil when empty.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        let value = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        return (value * 10).rounded() / 10
    }
}
