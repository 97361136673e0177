import Contracts
import Foundation
import JSONKit
import Testing

@Suite struct RankingBinaryCodableTests {
    @Test func ranking() throws {
        try BinaryCodableCheck.check(Fixtures.ranking, complete: true)
        try BinaryCodableCheck.check(Fixtures.minimalRanking, complete: false)
    }

    @Test func candidatesJSON() throws {
        try BinaryCodableCheck.check(try CandidatesJSON([Fixtures.candidate, Fixtures.minimalCandidate]), complete: true)
        try BinaryCodableCheck.check(try CandidatesJSON([]), complete: false)
    }

    /// Scoring writes the candidates, the gateway takes them apart: after the fast path both ways the
    /// bytes are the decision log's JSON of the candidates and each part is where it should be.
    @Test func writtenCandidatesSurviveTheFastPath() throws {
        let candidates = [Fixtures.candidate, Fixtures.minimalCandidate]
        var ranking = Ranking(candidates: candidates, confidence: 0.5, action: .suggest, assignee: nil, note: "two")
        try ranking.writeCandidates()
        #expect(ranking.candidates.isEmpty)
        let decoded = try BinaryCodableCheck.fastDecode(Ranking.self, BinaryCodableCheck.fastEncode(ranking))
        let written = try #require(decoded.written)
        #expect(try JSONDecoder().decode([RankedCandidate].self, from: Data(written.bytes)) == candidates)
        #expect(written.people == ["alice", ""])
        let parts = try written.parts()
        for (part, candidate) in zip(parts, candidates) {
            let factors = try JSONDecoder().decode([String: RankedCandidate.Factor].self, from: Data(written.bytes[part.factors]))
            #expect(factors == candidate.factors)
            let rest = String(decoding: written.bytes[part.rest], as: UTF8.self)
            #expect(rest.hasPrefix(",\"reasons\":") && rest.hasSuffix("}"))
        }
    }

    /// Rebuilding the candidates from their parts with each person written back as its id gives the
    /// written bytes again: the reader and the writer agree on the layout.
    @Test func candidatesRebuiltFromTheirPartsAreTheWrittenBytes() throws {
        for candidates in [[], [Fixtures.candidate], [Fixtures.candidate, Fixtures.minimalCandidate, Fixtures.candidate]] {
            let written = try CandidatesJSON(candidates)
            var writer = JSONWriter()
            var seen: [Int] = []
            writer.candidates(written, parts: try written.parts()) { writer, index, person in
                seen.append(index)
                writer.string(person)
            }
            #expect(writer.bytes == written.bytes)
            #expect(seen == Array(candidates.indices))
        }
    }

    /// Offsets that do not describe the bytes are refused rather than used to slice them.
    @Test func malformedOffsetsAreRefused() throws {
        let good = try CandidatesJSON([Fixtures.candidate, Fixtures.minimalCandidate])
        #expect(try good.parts().count == 2)
        var missing = good
        missing.offsets.removeLast()
        var outOfRange = good
        outOfRange.offsets[7] = good.bytes.count + 1
        var backwards = good
        backwards.offsets.swapAt(0, 1)
        var overlapping = good
        overlapping.offsets[4] = good.offsets[2]
        var negative = good
        negative.offsets[0] = -1
        for bad in [missing, outOfRange, backwards, overlapping, negative] {
            #expect(throws: CandidatesJSON.Malformed.self) { try bad.parts() }
        }
    }
}
