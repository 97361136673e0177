import Contracts
import Foundation
import Testing
@testable import GatewayService

/// The recommendation answer is written by hand for speed; it must be exactly what JSONEncoder writes.
@Suite struct RecommendationBodyTests {
    static let awkward = ["plain", "quote \" backslash \\ slash /", "lines\nand\ttabs\r", "control \u{01}\u{1F}", "ünïcødé ✓ 🚀", ""]
    static let numbers: [Double] = [0, 1, -2, 0.1, 1.0 / 3, 123.456, 1e-7, 2.5e-12, 0.999999999999, 42.000001, 1e20]

    private func body(assigned: String?) -> RecommendationBody {
        let candidates = Self.numbers.enumerated().map { index, number in
            RankedCandidate(person: "p\(index)", score: number,
                            factors: ["skillFit": .init(value: number, weight: 30, contribution: number * 0.3),
                                      "workload": .init(value: 1 - number, weight: 15.5, contribution: 0)],
                            reasons: Self.awkward)
        }
        let ranking = Ranking(candidates: candidates, confidence: 0.123456789, action: .suggest, assignee: assigned, note: Self.awkward[1])
        let names = Dictionary(uniqueKeysWithValues: candidates.indices.map { ("p\($0)", Self.awkward[$0 % Self.awkward.count]) })
        return RecommendationBody(ticket: "ZK-1", ranking: ranking, names: names, assigned: assigned,
                                  skills: [DetectedSkill(name: "c++", weight: 0.7, source: .taxonomy, evidence: Self.awkward),
                                           DetectedSkill(name: "linux", weight: 1, source: .learned)])
    }

    @Test(arguments: [nil, "p1"])
    func handWrittenJSONIsWhatJSONEncoderWrites(assigned: String?) throws {
        let body = body(assigned: assigned)
        let fast = try body.json()
        let reference = try JSONCoding.encode(body)
        #expect(String(decoding: fast, as: UTF8.self) == String(decoding: reference, as: UTF8.self))
    }

    @Test(arguments: [nil, "p1"])
    func answerReusingTheDecisionLogJSONIsTheSame(assigned: String?) throws {
        var body = body(assigned: assigned)
        let reference = try JSONCoding.encode(body)
        var candidates = JSONWriter()
        let spans = try candidates.candidates(body.candidates.map {
            RankedCandidate(person: $0.person.id, score: $0.score, factors: $0.factors, reasons: $0.reasons)
        })
        body.written = (candidates.bytes, spans)
        #expect(String(decoding: try body.json(), as: UTF8.self) == String(decoding: reference, as: UTF8.self))
        // Spans that do not describe these candidates are not used.
        body.written = (candidates.bytes, Array(spans.dropLast()))
        #expect(String(decoding: try body.json(), as: UTF8.self) == String(decoding: reference, as: UTF8.self))
    }

    @Test func nonFiniteNumbersAreRefusedLikeJSONEncoder() throws {
        var writer = JSONWriter()
        #expect(throws: JSONWriter.NonFiniteNumber.self) { try writer.number(.nan) }
        #expect(throws: JSONWriter.NonFiniteNumber.self) { try writer.number(.infinity) }
    }
}
