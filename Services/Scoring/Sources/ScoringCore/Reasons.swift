import Foundation
import Model

/// The plain-words part of an explanation.
enum Reasons {
    static let labels: [String: String] = [
        "skillFit": "skill fit", "similarWork": "similar past work", "workload": "free capacity",
        "availability": "availability", "fairness": "fair share of recent work", "recentActivity": "recent activity",
    ]

    /// What ``strengths(_:availability:load:memo:)`` reads of a candidate.
    struct Evidence {
        var similarTickets: Int
        var siblings: Double
        var matchedSkills: [String]
        /// Tickets resolved of each of the first `matchedSkills` (same order; may be empty).
        var matchedSkillTickets = SkillTicketCounts()
        var declaredSkills: [TicketSkills.Match]
        var recentActivity: Double
        var active: Bool
        var capacityUnit: String
        var optedOut: Bool
    }

    /// At most this many strengths are given.
    static let strengthLimit = 4

    /// The texts of one ranking's reasons that candidates often share (the same open work, the same number of
    /// similar tickets, the same skills), each built once per ranking.
    struct Memo {
        /// Load and capacity in tenths, as ``Workload/figure(_:)`` writes them.
        fileprivate struct Load: Equatable {
            let load: Int
            let capacity: Int
            let unit: String
        }

        fileprivate var similar: [(key: Int, text: String)] = []
        fileprivate struct Skills: Equatable {
            let names: ArraySlice<String>
            let tickets: SkillTicketCounts
        }

        fileprivate var skills: [(key: Skills, text: String)] = []
        fileprivate var load: [(key: Load, text: String)] = []
    }

    /// The text for `key` in `known`, built by `body` (and kept there) the first time.
    private static func memoized<Key: Equatable>(_ key: Key, in known: inout [(key: Key, text: String)],
                                                  _ body: (inout TextBuilder) -> Void) -> String {
        if let found = known.first(where: { $0.key == key }) { return found.text }
        let text = build(body)
        known.append((key, text))
        return text
    }

    /// Why a candidate is a good fit, strongest first (at most four), from what it reads of the candidate. The reasons
    /// come in a fixed order and only the first four are kept, so none is built after the fourth; texts already in
    /// `memo` are reused.
    static func strengths(_ evidence: Evidence, availability: Availability.Result,
                          load: (value: Double, load: Double, capacity: Double), memo: inout Memo) -> [String] {
        var reasons: [String] = []
        reasons.reserveCapacity(strengthLimit + 2)   // room for the two of ``whyLost`` a runner-up gets
        func full() -> Bool { reasons.count >= strengthLimit }
        if evidence.similarTickets > 0 {
            let count = evidence.similarTickets
            reasons.append(memoized(count, in: &memo.similar) { text in
                text.append("resolved ")
                text.append(count)
                text.append(count == 1 ? " similar ticket" : " similar tickets")
            })
        }
        if evidence.siblings >= 0.5 { reasons.append("resolved tickets filed alongside this one") }
        if !evidence.declaredSkills.isEmpty {
            // "kubernetes: expert (declared 5)": the ticket's skills the person says they have.
            reasons.append(evidence.declaredSkills.prefix(2).map { match in
                "\(match.skill): \(TicketSkills.levelName(match.level)) (declared \(match.level))"
            }.joined(separator: ", "))
        }
        if !evidence.matchedSkills.isEmpty {
            // "has worked with kubernetes (12 tickets), client (1 ticket)".
            let key = Memo.Skills(names: evidence.matchedSkills.prefix(SkillTicketCounts.limit), tickets: evidence.matchedSkillTickets)
            reasons.append(memoized(key, in: &memo.skills) { text in
                text.append("has worked with ")
                for (position, skill) in key.names.enumerated() {
                    if position > 0 { text.append(", ") }
                    text.append(skill)
                    if key.tickets[position] > 0 {
                        let tickets = key.tickets[position]
                        text.append(" (")
                        text.append(tickets)
                        text.append(tickets == 1 ? " ticket)" : " tickets)")
                    }
                }
            })
        }
        if full() { return reasons }
        if availability.awayToday {
            reasons.append(evidence.active ? "away today\(availability.backOn.map { " (until \($0))" } ?? "")" : "inactive")
        } else if let back = availability.backOn {
            reasons.append("away for part of the next days (until \(back))")
        }
        if full() { return reasons }
        if availability.offHours { reasons.append("outside working hours now, and the ticket is urgent") }
        if full() { return reasons }
        // The figures every view shows for a person's load (``Workload/figure(_:)``: the Team view, rebalance plans).
        let openLoad = Memo.Load(load: Workload.tenths(load.load), capacity: Workload.tenths(load.capacity), unit: evidence.capacityUnit)
        reasons.append(memoized(openLoad, in: &memo.load) { text in
            text.appendTenths(openLoad.load)
            text.append(" of ")
            text.appendTenths(openLoad.capacity)
            text.append(" ")
            text.append(openLoad.unit)
            text.append(" of open work")
        })
        if full() { return reasons }
        if evidence.recentActivity < 0.1 { reasons.append("has not resolved tickets recently") }
        if full() { return reasons }
        if evidence.optedOut { reasons.append("opted out of automatic assignment") }
        return reasons
    }

    /// `labels` in `ScoringFactor.allCases` order.
    static let factorLabels: [String] = ScoringFactor.allCases.map { labels[$0.rawValue] ?? $0.rawValue }

    /// Appends why a runner-up lost to the winner to `reasons`: the (at most two) factors where it gave up the most
    /// contribution, biggest gap first (equal gaps in factor order). `mine` and `theirs` are the factors in
    /// `ScoringFactor.allCases` order.
    static func appendWhyLost(_ mine: UnsafeBufferPointer<RankedCandidate.Factor>, against theirs: UnsafeBufferPointer<RankedCandidate.Factor>,
                              winnerName: String, to reasons: inout [String]) {
        var first = -1, second = -1
        for factor in mine.indices {
            let gap = theirs[factor].contribution - mine[factor].contribution
            guard gap > 0.005 else { continue }
            func gapOf(_ index: Int) -> Double { theirs[index].contribution - mine[index].contribution }
            if first < 0 || gap > gapOf(first) {
                second = first
                first = factor
            } else if second < 0 || gap > gapOf(second) {
                second = factor
            }
        }
        guard first >= 0 else { return }
        func reason(_ factor: Int) -> String {
            // "less <label> than <winner> (<mine> vs <theirs>)", built in one allocation.
            build { text in
                text.append("less ")
                text.append(factorLabels[factor])
                text.append(" than ")
                text.append(winnerName)
                text.append(" (")
                text.appendFixed2(mine[factor].value)
                text.append(" vs ")
                text.appendFixed2(theirs[factor].value)
                text.append(")")
            }
        }
        reasons.append(reason(first))
        if second >= 0 { reasons.append(reason(second)) }
    }

    /// `0.5` → `0.50` (what `%.2f` prints, without the cost of a format string or of joining pieces).
    static func fixed2(_ value: Double) -> String {
        build { $0.appendFixed2(value) }
    }

    /// A string made of the pieces `body` appends: measured first, then written into one allocation.
    static func build(_ body: (inout TextBuilder) -> Void) -> String {
        var measure = TextBuilder(buffer: nil)
        body(&measure)
        let count = measure.count
        return String(unsafeUninitializedCapacity: count) { buffer in
            var writer = TextBuilder(buffer: buffer.baseAddress)
            body(&writer)
            return writer.count
        }
    }

    /// Appends UTF-8 pieces to a buffer, or only counts them (no buffer).
    struct TextBuilder {
        let buffer: UnsafeMutablePointer<UInt8>?
        private(set) var count = 0

        init(buffer: UnsafeMutablePointer<UInt8>?) { self.buffer = buffer }

        @inline(__always) mutating func appendByte(_ byte: UInt8) {
            buffer?[count] = byte
            count += 1
        }

        mutating func append(_ text: String) {
            var text = text
            text.withUTF8 { bytes in
                if let buffer, let base = bytes.baseAddress { (buffer + count).update(from: base, count: bytes.count) }
                count += bytes.count
            }
        }

        /// The decimal digits of `value`.
        mutating func append(_ value: Int) {
            if value < 0 {
                appendByte(45)   // -
                appendDigits(value.magnitude, minimum: 1)
            } else {
                appendDigits(UInt(value), minimum: 1)
            }
        }

        /// A non-negative number of tenths as ``Workload/figure(_:)`` writes it: "25" is 2.5, "100" is 10.
        mutating func appendTenths(_ tenths: Int) {
            append(tenths / 10)
            if tenths % 10 != 0 {
                appendByte(46)   // .
                append(tenths % 10)
            }
        }

        /// `value` with two decimals, as ``Reasons/fixed2(_:)`` prints it.
        mutating func appendFixed2(_ value: Double) {
            guard value.isFinite else { return append("0.00") }
            let hundredths = Int((abs(value) * 100).rounded())
            if value < 0 && hundredths > 0 { appendByte(45) }   // -
            appendDigits(UInt(hundredths), minimum: 3, pointBeforeLast: 2)
        }

        /// The digits of `value`, at least `minimum` of them (leading zeros), with a `.` before the last
        /// `pointBeforeLast` digits when given.
        private mutating func appendDigits(_ value: UInt, minimum: Int, pointBeforeLast: Int? = nil) {
            var digits = 0
            var rest = value
            repeat {
                rest /= 10
                digits += 1
            } while rest > 0
            digits = max(digits, minimum)
            var divisor: UInt = 1
            for _ in 1..<digits { divisor *= 10 }
            var remaining = value
            for position in stride(from: digits, to: 0, by: -1) {
                if position == pointBeforeLast { appendByte(46) }   // .
                appendByte(UInt8(48 + remaining / divisor))
                remaining %= divisor
                divisor /= 10
            }
        }
    }
}

extension Reasons.Evidence {
    /// A ranked candidate's evidence (an extension, so the memberwise initializer stays).
    init(_ signals: CandidateSignals) {
        self.init(similarTickets: signals.similarTickets, siblings: signals.siblings, matchedSkills: signals.matchedSkills,
                  matchedSkillTickets: signals.matchedSkillTickets, declaredSkills: signals.declaredSkills, recentActivity: signals.recentActivity, active: signals.person.active, capacityUnit: signals.person.capacityUnit,
                  optedOut: signals.person.optedOut)
    }
}
