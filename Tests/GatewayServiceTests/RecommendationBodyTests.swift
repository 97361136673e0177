import Contracts
import Foundation
import JSONKit
import Testing
@testable import GatewayService

/// The recommendation answer is written by hand from the decision log's JSON of the candidates; it
/// must be exactly what JSONEncoder writes for the documented shape.
@Suite struct RecommendationBodyTests {
    static let awkward = ["plain", "quote \" backslash \\ slash /", "lines\nand\ttabs\r", "control \u{01}\u{1F}", "ünïcødé ✓ 🚀", ""]
    static let numbers: [Double] = [0, 1, -2, 0.1, 1.0 / 3, 123.456, 1e-7, 2.5e-12, 0.999999999999, 42.000001, 1e20]

    /// The answer's documented shape, encoded by JSONEncoder as the reference.
    struct Reference: Encodable {
        struct Candidate: Encodable {
            struct PersonRef: Encodable {
                let id: String
                let name: String
            }
            let person: PersonRef
            let score: Double
            let factors: [String: RankedCandidate.Factor]
            let reasons: [String]
        }
        let ticket: String
        let confidence: Double
        let confidenceThreshold: Double
        let autoAssign: Bool
        let action: String
        let note: String
        let assigned: Candidate.PersonRef?
        let skills: [DetectedSkill]
        let candidates: [Candidate]
    }

    static let skills = [DetectedSkill(name: "c++", weight: 0.7, source: .taxonomy, evidence: awkward), DetectedSkill(name: "linux", weight: 1, source: .learned)]

    static var candidates: [RankedCandidate] {
        numbers.enumerated().map { index, number in
            RankedCandidate(person: "p\(index)", score: number,
                            factors: ["skillFit": .init(value: number, weight: 30, contribution: number * 0.3),
                                      "workload": .init(value: 1 - number, weight: 15.5, contribution: 0)],
                            reasons: awkward)
        }
    }

    /// One candidate has no name, so the answer shows its id.
    static var names: [String: String] {
        Dictionary(uniqueKeysWithValues: candidates.indices.dropLast().map { ("p\($0)", awkward[$0 % awkward.count]) })
    }

    private func body(assigned: String?) throws -> RecommendationBody {
        var ranking = Ranking(candidates: Self.candidates, confidence: 0.123456789, action: .suggest, assignee: assigned, note: Self.awkward[1])
        ranking.names = Self.names
        try ranking.writeCandidates()
        let written = try #require(ranking.written)
        let ranked = RankedCandidates(ranking: ranking, candidates: written, parts: try written.parts())
        var body = RecommendationBody(ticket: "ZK-1", ranked: ranked, assigned: assigned, skills: Self.skills)
        body.autoAssign = assigned != nil
        body.confidenceThreshold = 0.3
        return body
    }

    private func reference(assigned: String?) throws -> String {
        let names = Self.names
        let reference = Reference(
            ticket: "ZK-1", confidence: 0.123456789, confidenceThreshold: 0.3, autoAssign: assigned != nil, action: "suggest", note: Self.awkward[1],
            assigned: assigned.map { .init(id: $0, name: names[$0] ?? $0) }, skills: Self.skills,
            candidates: Self.candidates.map {
                .init(person: .init(id: $0.person, name: names[$0.person] ?? $0.person), score: $0.score, factors: $0.factors, reasons: $0.reasons)
            })
        return String(decoding: try JSONCoding.encode(reference), as: UTF8.self)
    }

    @Test(arguments: [nil, "p1"])
    func handWrittenJSONIsWhatJSONEncoderWrites(assigned: String?) throws {
        #expect(String(decoding: try body(assigned: assigned).json(), as: UTF8.self) == (try reference(assigned: assigned)))
    }

    @Test(arguments: [nil, "p1"])
    func storedSkillsJSONIsCopiedAsIs(assigned: String?) throws {
        var body = try body(assigned: assigned)
        var skills = JSONWriter()
        try skills.skills(Self.skills)
        body.skillsJSON = skills.bytes
        #expect(String(decoding: try body.json(), as: UTF8.self) == (try reference(assigned: assigned)))
    }

    @Test func nonFiniteNumbersAreRefusedLikeJSONEncoder() throws {
        var writer = JSONWriter()
        #expect(throws: JSONWriter.NonFiniteNumber.self) { try writer.number(.nan) }
        #expect(throws: JSONWriter.NonFiniteNumber.self) { try writer.number(.infinity) }
    }
}
