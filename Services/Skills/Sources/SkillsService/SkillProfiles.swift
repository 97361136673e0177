import Contracts
import Foundation
import Synchronization

/// What a tenant's people showed of each skill in their work: for each person and skill, the evidence of the
/// resolved tickets that needed it (each adds the skill's detected weight, decayed with a half-life of a year from
/// the ticket's resolution), how many tickets that was and when the last one was resolved, and the overrides away
/// from the person on tickets that needed it (each adds 1, decayed with a half-life of 180 days, as scoring does).
///
/// Learned proficiency, 0...1: `(1 − 2^(−evidence/3)) / (1 + 0.5·overrides)`, both decayed to `now`: three recent
/// tickets that clearly needed the skill give 0.5, six give 0.75; one recent override away takes a third off.
/// Decayed values are kept as (value, time) and decayed when read, so tickets may arrive in any order.
final class SkillProfiles: Sendable {
    static let evidenceHalfLifeDays = 365.0
    static let overrideHalfLifeDays = 180.0
    /// The evidence that gives a proficiency of ½.
    static let evidenceScale = 3.0
    static let overridePenalty = 0.5

    /// A value decaying with a half-life, as of `at`.
    struct Decayed: Sendable, Equatable {
        var value = 0.0
        var at = Date.distantPast

        func value(at now: Date, halfLifeDays: Double) -> Double {
            value == 0 ? 0 : value * Self.factor(now.timeIntervalSince(at), halfLifeDays: halfLifeDays)
        }

        /// Adds `amount` happening at `time` (before or after the value's time).
        mutating func add(_ amount: Double, at time: Date, halfLifeDays: Double) {
            if value == 0 || time >= at {
                value = value(at: time, halfLifeDays: halfLifeDays) + amount
                at = time
            } else {
                value += amount * Self.factor(at.timeIntervalSince(time), halfLifeDays: halfLifeDays)
            }
        }

        static func factor(_ seconds: TimeInterval, halfLifeDays: Double) -> Double {
            seconds <= 0 ? 1 : pow(2, -seconds / (halfLifeDays * 86_400))
        }
    }

    struct Entry: Sendable, Equatable {
        var evidence = Decayed()
        var tickets = 0
        var lastUsed: Date?
        var overrides = Decayed()
    }

    private let people = Mutex<[String: [String: Entry]]>([:])

    init() {}

    /// `person` resolved, at `resolved`, a ticket that needed `skills`.
    func resolved(by person: String, skills: [DetectedSkill], at resolved: Date) {
        guard !skills.isEmpty else { return }
        people.withLock { people in
            for skill in skills where skill.weight > 0 {
                var entry = people[person, default: [:]][skill.name, default: Entry()]
                entry.evidence.add(min(1, skill.weight), at: resolved, halfLifeDays: Self.evidenceHalfLifeDays)
                entry.tickets += 1
                entry.lastUsed = max(entry.lastUsed ?? resolved, resolved)
                people[person, default: [:]][skill.name] = entry
            }
        }
    }

    /// A ticket that needed `skills` was reassigned away from `person` at `at`.
    func overridden(from person: String, skills: [DetectedSkill], at: Date) {
        people.withLock { people in
            for skill in skills {
                people[person, default: [:]][skill.name, default: Entry()].overrides.add(1, at: at, halfLifeDays: Self.overrideHalfLifeDays)
            }
        }
    }

    /// The person's learned skills as of `now` (those with evidence), by learned proficiency then name.
    func profile(of person: String, now: Date) -> [SkillsContract.ProfileSkill] {
        let entries = people.withLock { $0[person] ?? [:] }
        return entries.compactMap { skill, entry -> SkillsContract.ProfileSkill? in
            guard entry.tickets > 0 else { return nil }
            let overrides = entry.overrides.value(at: now, halfLifeDays: Self.overrideHalfLifeDays)
            let learned = Self.proficiency(evidence: entry.evidence.value(at: now, halfLifeDays: Self.evidenceHalfLifeDays), overrides: overrides)
            return .init(skill: skill, learned: learned, evidence: entry.tickets, lastUsed: entry.lastUsed, overrides: overrides)
        }.sorted { $0.learned != $1.learned ? $0.learned > $1.learned : $0.skill < $1.skill }
    }

    /// `(1 − 2^(−evidence/3)) / (1 + 0.5·overrides)`.
    static func proficiency(evidence: Double, overrides: Double) -> Double {
        (1 - pow(2, -max(0, evidence) / evidenceScale)) / (1 + overridePenalty * max(0, overrides))
    }
}
