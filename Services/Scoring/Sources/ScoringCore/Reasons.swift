import Foundation
import Model

/// The plain-words part of an explanation.
enum Reasons {
    static let labels: [String: String] = [
        "skillFit": "skill fit", "similarWork": "similar past work", "workload": "free capacity",
        "availability": "availability", "fairness": "fair share of recent work", "recentActivity": "recent activity",
    ]

    /// Why a candidate is a good fit, strongest first (at most four).
    static func strengths(signals: CandidateSignals, availability: Availability.Result,
                          load: (value: Double, load: Double, capacity: Double)) -> [String] {
        var reasons: [String] = []
        if signals.similarTickets > 0 {
            reasons.append("resolved \(signals.similarTickets) similar ticket\(signals.similarTickets == 1 ? "" : "s")")
        }
        if signals.siblings >= 0.5 { reasons.append("resolved tickets filed alongside this one") }
        if !signals.matchedSkills.isEmpty {
            let skills = signals.matchedSkills.count <= 3 ? signals.matchedSkills : Array(signals.matchedSkills.prefix(3))
            reasons.append("has worked with " + skills.joined(separator: ", "))
        }
        if availability.awayToday {
            reasons.append(signals.person.active ? "away today\(availability.backOn.map { " (until \($0))" } ?? "")" : "inactive")
        } else if let back = availability.backOn {
            reasons.append("away for part of the next days (until \(back))")
        }
        if availability.offHours { reasons.append("outside working hours now, and the ticket is urgent") }
        reasons.append("\(Int(load.load.rounded())) of \(Int(load.capacity.rounded())) \(signals.person.capacityUnit) of open work")
        if signals.recentActivity < 0.1 { reasons.append("has not resolved tickets recently") }
        if signals.person.optedOut { reasons.append("opted out of automatic assignment") }
        return Array(reasons.prefix(4))
    }

    /// `labels` in `ScoringFactor.allCases` order.
    static let factorLabels: [String] = ScoringFactor.allCases.map { labels[$0.rawValue] ?? $0.rawValue }

    /// Why a runner-up lost to the winner: the (at most two) factors where it gave up the most contribution,
    /// biggest gap first (equal gaps in factor order). `mine` and `theirs` are the factors in
    /// `ScoringFactor.allCases` order.
    static func whyLost(_ mine: [RankedCandidate.Factor], against theirs: [RankedCandidate.Factor], winnerName: String) -> [String] {
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
        return [first, second].filter { $0 >= 0 }.map { factor in
            "less \(factorLabels[factor]) than \(winnerName) (\(fixed2(mine[factor].value)) vs \(fixed2(theirs[factor].value)))"
        }
    }

    /// `0.5` → `0.50` (what `%.2f` prints, without the cost of a format string or of joining pieces).
    static func fixed2(_ value: Double) -> String {
        guard value.isFinite else { return "0.00" }
        let hundredths = Int((abs(value) * 100).rounded())
        let negative = value < 0 && hundredths > 0
        return String(unsafeUninitializedCapacity: 24) { buffer in
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                         UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            return withUnsafeMutableBytes(of: &digits) { reversed in
                // The digits of `hundredths`, least significant first, with at least three (0.0x).
                var rest = hundredths, count = 0
                repeat {
                    reversed[count] = UInt8(48 + rest % 10)
                    rest /= 10
                    count += 1
                } while rest > 0 || count < 3
                var length = 0
                if negative {
                    buffer[length] = 45   // -
                    length += 1
                }
                for position in stride(from: count - 1, through: 0, by: -1) {
                    if position == 1 {
                        buffer[length] = 46   // .
                        length += 1
                    }
                    buffer[length] = reversed[position]
                    length += 1
                }
                return length
            }
        }
    }
}
