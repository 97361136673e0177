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
        if !signals.matchedSkills.isEmpty {
            reasons.append("has worked with \(signals.matchedSkills.prefix(3).joined(separator: ", "))")
        }
        if availability.awayToday {
            reasons.append(signals.person.active ? "away today\(availability.backOn.map { " (until \($0))" } ?? "")" : "inactive")
        } else if let back = availability.backOn {
            reasons.append("away for part of the next days (until \(back))")
        }
        if availability.offHours { reasons.append("outside working hours now, and the ticket is urgent") }
        reasons.append(String(format: "%.0f of %.0f %@ of open work", load.load, load.capacity, signals.person.capacityUnit))
        if signals.recentActivity < 0.1 { reasons.append("has not resolved tickets recently") }
        if signals.person.optedOut { reasons.append("opted out of automatic assignment") }
        return Array(reasons.prefix(4))
    }

    /// Why a runner-up lost to the winner: the factors where it gave up the most.
    static func whyLost(_ candidate: RankedCandidate, against winner: RankedCandidate, winnerName: String) -> [String] {
        let gaps = winner.factors.compactMap { name, factor -> (String, Double, Double, Double)? in
            guard let mine = candidate.factors[name] else { return nil }
            return (name, factor.contribution - mine.contribution, mine.value, factor.value)
        }.filter { $0.1 > 0.005 }.sorted { $0.1 > $1.1 }
        return gaps.prefix(2).map { name, _, mine, theirs in
            String(format: "less %@ than %@ (%.2f vs %.2f)", labels[name] ?? name, winnerName, mine, theirs)
        }
    }
}
