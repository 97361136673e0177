import Contracts
import Foundation
import Testing
@testable import StorageService

/// The decision log's candidates are written by ``JSONWriter``; they must read back as they were and
/// match what the store's JSONEncoder wrote before (old rows and new rows are the same format).
@Suite struct DecisionCandidatesJSONTests {
    @Test func candidatesRoundTripAndMatchTheEncoder() throws {
        let candidates = [0.0, 1, 0.1, 1.0 / 3, 7.25e-9, -3].enumerated().map { index, number in
            RankedCandidate(person: "p\(index)", score: number,
                            factors: ["availability": .init(value: number, weight: 10, contribution: number / 10),
                                      "skillFit": .init(value: 1, weight: 35, contribution: 35)],
                            reasons: ["knows \"C\" / C++", "line\nbreak", "ünïcødé"])
        }
        var writer = JSONWriter()
        try writer.candidates(candidates)
        #expect(try Store.fromJSON([RankedCandidate].self, writer.bytes) == candidates)
        let reference = try Store.fromJSON([RankedCandidate].self, Array(Store.jsonEncoder.encode(candidates)))
        #expect(reference == candidates)
        var empty = JSONWriter()
        try empty.candidates([])
        #expect(String(decoding: empty.bytes, as: UTF8.self) == "[]")
    }
}
