import Contracts
import Testing

@Suite struct RankingBinaryCodableTests {
    @Test func ranking() throws {
        try BinaryCodableCheck.check(Fixtures.ranking, complete: true)
        try BinaryCodableCheck.check(Fixtures.minimalRanking, complete: false)
    }

    @Test func packedCandidates() throws {
        try BinaryCodableCheck.check(PackedCandidates([Fixtures.candidate, Fixtures.minimalCandidate]), complete: true)
        try BinaryCodableCheck.check(PackedCandidates([]), complete: false)
    }

    /// Scoring packs, the gateway unpacks: the candidates survive the fast path both ways.
    @Test func packedCandidatesUnpackAfterTheFastPath() throws {
        var ranking = Ranking(candidates: [Fixtures.candidate, Fixtures.minimalCandidate], confidence: 0.5, action: .suggest,
                              assignee: nil, note: "two")
        ranking.packCandidates()
        var decoded = try BinaryCodableCheck.fastDecode(Ranking.self, BinaryCodableCheck.fastEncode(ranking))
        try decoded.unpackCandidates()
        #expect(decoded.candidates == [Fixtures.candidate, Fixtures.minimalCandidate])
    }
}
