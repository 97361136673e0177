import Foundation
import Model
import Testing

/// The compact wire form of a ranking's candidates gives back exactly what was packed.
@Suite struct PackedCandidatesTests {
    @Test func unpackGivesBackThePackedCandidates() throws {
        let candidates = [
            RankedCandidate(person: "alice", score: 71.5, factors: ["skillFit": .init(value: 0.9, weight: 35, contribution: 31.5),
                                                                    "workload": .init(value: -0.0, weight: 1e-300, contribution: .pi)],
                            reasons: ["knows css", "ünïcødé \"quoted\"", "knows css"]),
            RankedCandidate(person: "bob", score: -12, factors: [:], reasons: []),
            RankedCandidate(person: "alice", score: 0, factors: ["skillFit": .init(value: 1, weight: 2, contribution: 3)], reasons: ["alice"]),
        ]
        let packed = PackedCandidates(candidates)
        #expect(try packed.unpack() == candidates)
        #expect(packed.strings.count == Set(packed.strings).count)   // each string once
        #expect(try PackedCandidates([]).unpack().isEmpty)

        var ranking = Ranking(candidates: candidates, confidence: 0.4, action: .suggest, assignee: nil, note: "n")
        let original = ranking
        ranking.packCandidates()
        #expect(ranking.candidates.isEmpty && ranking.packed != nil)
        try ranking.unpackCandidates()
        #expect(ranking == original)
    }

    @Test func malformedBlobsAreRefused() {
        let packed = PackedCandidates([RankedCandidate(person: "alice", score: 1, factors: ["skillFit": .init(value: 1, weight: 2, contribution: 3)],
                                                       reasons: ["r"])])
        var truncated = packed
        truncated.numbers.removeLast(8)
        var ragged = packed
        ragged.numbers.removeLast()
        var badIndex = packed
        badIndex.strings = []
        var negativeCount = packed
        withUnsafeBytes(of: (-1.0).bitPattern.littleEndian) { negativeCount.numbers.replaceSubrange(16..<24, with: $0) }
        for blob in [truncated, ragged, badIndex, negativeCount] {
            #expect(throws: PackedCandidates.Malformed.self) { try blob.unpack() }
        }
    }
}
