import Foundation
import Model

/// Turning hits into weighted skills; see `SkillDetector` for the rules.
extension SkillDetector {
    static let repeatBonus: Float = 0.25
    static let maxRepeats = 2
    static let weakFactor: Float = 0.6
    static let parentShare: Float = 0.35
    static let weakAliasesOnTheirOwn = 3
    static let maxEvidence = 5

    /// One matched skill's evidence in a scoring pass.
    private struct Matched {
        var skill: Int32
        var strong: Float = 0
        var weak: Float = 0
        var weakDistinct = 0
        var hits: Range<Int>  // in the sorted keys
        var weakEnabled = false
        var descendantEvidence = false
        var own: Float = 0
    }

    func score(_ hits: [Matcher.Hit]) -> [DetectedSkill] {
        guard !hits.isEmpty else { return [] }
        // Sort by (skill, evidence) through packed keys: skill 22 bits, evidence 22 bits, hit index 20 bits.
        var keys = [UInt64]()
        keys.reserveCapacity(hits.count)
        for (position, hit) in hits.enumerated().prefix(1 << 20) {
            keys.append(UInt64(hit.skill) << 42 | UInt64(hit.evidence) << 20 | UInt64(position))
        }
        keys.sort()
        var matched: [Matched] = []  // in skill order, as the keys are

        // Per (skill, evidence): the strongest hit plus a bonus per repeat.
        var i = 0
        while i < keys.count {
            let group = keys[i] >> 20
            let first = hits[Int(keys[i] & 0xF_FFFF)]
            var best = first.strength
            var j = i + 1
            while j < keys.count, keys[j] >> 20 == group {
                best = max(best, hits[Int(keys[j] & 0xF_FFFF)].strength)
                j += 1
            }
            let value = best * (1 + Self.repeatBonus * Float(min(j - i - 1, Self.maxRepeats)))
            if matched.last?.skill != first.skill { matched.append(Matched(skill: first.skill, hits: i..<i)) }
            let m = matched.count - 1
            if first.weak {
                matched[m].weak += value
                matched[m].weakDistinct += 1
            } else {
                matched[m].strong += value
            }
            matched[m].hits = matched[m].hits.lowerBound..<j
            i = j
        }
        func find(_ skill: Int32) -> Int? {
            var low = 0
            var high = matched.count
            while low < high {
                let middle = (low + high) / 2
                if matched[middle].skill < skill { low = middle + 1 } else { high = middle }
            }
            return low < matched.count && matched[low].skill == skill ? low : nil
        }

        // Weak aliases count next to the skill's or a descendant's other evidence, or when several agree.
        for m in matched.indices where matched[m].strong > 0 {
            for ancestor in index.ancestors[Int(matched[m].skill)] {
                if let a = find(ancestor.skill) { matched[a].descendantEvidence = true }
            }
        }
        for m in matched.indices {
            let entry = matched[m]
            let enabled = entry.strong > 0 || entry.descendantEvidence || entry.weakDistinct >= Self.weakAliasesOnTheirOwn
            matched[m].weakEnabled = enabled
            matched[m].own = entry.strong + (enabled ? Self.weakFactor * entry.weak : 0)
        }

        // Ancestors get a share of their heaviest descendant's weight.
        var shares: [(skill: Int32, share: Float, from: Int)] = []
        for (m, entry) in matched.enumerated() where entry.own > 0 {
            let childWeight = 1 - exp(-entry.own)
            for ancestor in index.ancestors[Int(entry.skill)] {
                let value = childWeight * (ancestor.depth == 1 ? Self.parentShare : pow(Self.parentShare, Float(ancestor.depth)))
                if let s = shares.firstIndex(where: { $0.skill == ancestor.skill }) {
                    if value > shares[s].share { shares[s] = (ancestor.skill, value, m) }
                } else {
                    shares.append((ancestor.skill, value, m))
                }
            }
        }

        // Rank plain values first; build DetectedSkill values (strings, arrays) only for the reported ones.
        var ranked: [(weight: Double, skill: Int32, source: Int)] = []
        func rank(_ skill: Int32, own: Float, share: Float, evidenceFrom source: Int) {
            let total = own + share
            guard total > 0 else { return }
            let weight = (Double(1 - exp(-total)) * 1000).rounded() / 1000
            if weight >= options.minimumWeight { ranked.append((weight, skill, source)) }
        }
        for (m, entry) in matched.enumerated() {
            let inherited = shares.first { $0.skill == entry.skill }
            rank(entry.skill, own: entry.own, share: inherited?.share ?? 0, evidenceFrom: entry.own > 0 ? m : inherited?.from ?? -1)
        }
        for entry in shares where find(entry.skill) == nil {
            rank(entry.skill, own: 0, share: entry.share, evidenceFrom: entry.from)
        }
        let ids = index.skillIDs
        ranked.sort { $0.weight != $1.weight ? $0.weight > $1.weight : ids[Int($0.skill)] < ids[Int($1.skill)] }
        return ranked.prefix(options.maxSkills).map { entry in
            let evidence = entry.source >= 0 ? evidenceTexts(hits, keys, matched[entry.source]) : []
            return DetectedSkill(name: ids[Int(entry.skill)], weight: entry.weight, source: .taxonomy, evidence: evidence)
        }
    }

    /// The distinct evidence strings of one skill's hits, strongest first (ties by evidence order), at most
    /// `maxEvidence`. Hits are grouped by evidence already; the groups are ranked in a stack buffer.
    private func evidenceTexts(_ hits: [Matcher.Hit], _ keys: [UInt64], _ entry: Matched) -> [String] {
        withUnsafeTemporaryAllocation(of: (evidence: Int32, strength: Float).self, capacity: entry.hits.count) { buffer in
            var count = 0
            var k = entry.hits.lowerBound
            while k < entry.hits.upperBound {
                // One group of hits with the same evidence (the keys sort by evidence within a skill): its strongest.
                let evidence = hits[Int(keys[k] & 0xF_FFFF)].evidence
                var strength: Float = -1
                while k < entry.hits.upperBound, hits[Int(keys[k] & 0xF_FFFF)].evidence == evidence {
                    let hit = hits[Int(keys[k] & 0xF_FFFF)]
                    if entry.weakEnabled || !hit.weak { strength = max(strength, hit.weak ? hit.strength * Self.weakFactor : hit.strength) }
                    k += 1
                }
                guard strength >= 0 else { continue }
                // Insertion into strength order (stable for equal strengths).
                var position = count
                while position > 0, buffer[position - 1].strength < strength {
                    buffer[position] = buffer[position - 1]
                    position -= 1
                }
                buffer[position] = (evidence, strength)
                count += 1
            }
            var texts: [String] = []
            texts.reserveCapacity(min(count, Self.maxEvidence))
            for position in 0..<count where texts.count < Self.maxEvidence {
                // An alias and a marker or extension may share a text (`build.xml`): shown once.
                let text = index.evidenceTexts[Int(buffer[position].evidence)]
                if !texts.contains(text) { texts.append(text) }
            }
            return texts
        }
    }
}
