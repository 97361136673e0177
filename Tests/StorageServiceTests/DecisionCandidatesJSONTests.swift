import Contracts
import Foundation
import JSONKit
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
                            reasons: ["knows \"C\" / C++", "line\nbreak", "ünïcødé", "\u{1}\u{1F}tab\there\\", ""])
        }
        var writer = JSONWriter()
        try writer.candidates(candidates)
        #expect(try Store.fromJSON([RankedCandidate].self, writer.bytes) == candidates)
        let reference = try Store.fromJSON([RankedCandidate].self, Array(Store.jsonEncoder.encode(candidates)))
        #expect(reference == candidates)
        let skills = [DetectedSkill(name: "c++", weight: 0.25, source: .taxonomy, evidence: ["g++ \"14\"", "línea\n"]),
                      DetectedSkill(name: "linux", weight: 1, source: .declared)]
        var skillWriter = JSONWriter()
        try skillWriter.skills(skills)
        #expect(skillWriter.bytes == Array(try Store.jsonEncoder.encode(skills).map { $0 }).replacingSlashEscapes())
        #expect(try Store.fromJSON([DetectedSkill].self, skillWriter.bytes) == skills)
        var empty = JSONWriter()
        try empty.candidates([])
        #expect(String(decoding: empty.bytes, as: UTF8.self) == "[]")
    }
}

private extension Array where Element == UInt8 {
    /// JSONEncoder without `.withoutEscapingSlashes` writes `\/`; the writer writes `/` (both decode the same).
    func replacingSlashEscapes() -> [UInt8] {
        Array(String(decoding: self, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/").utf8)
    }
}
