import Foundation
import Model
import SkillsCore

/// Where this target's own fixtures are (`Tests/SkillsCoreTests/Fixtures`), found from this file's path;
/// the histories and API shapes several targets read are `TestFixtures` (`Tests/Fixtures`).
enum TestData {
    /// `Tests/SkillsCoreTests`.
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    static func fixture(_ name: String) -> URL { testsDirectory.appendingPathComponent("Fixtures").appendingPathComponent(name) }

    /// The bundled taxonomy and a detector over it, built once.
    static let taxonomy: SkillTaxonomy = try! SkillTaxonomy.bundled()
    static let detector = SkillDetector(taxonomy: taxonomy)

    /// One labelled case of `Fixtures/skill-cases.jsonl`.
    struct SkillCase: Decodable {
        var id: String
        var title: String
        var description: String
        var components: [String]
        var labels: [String]
        var expected: [String]
        var forbidden: [String]
    }

    static func skillCases() throws -> [SkillCase] {
        let text = try String(contentsOf: fixture("skill-cases.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(SkillCase.self, from: Data($0.utf8)) }
    }

    /// A deterministic generator for noise (SplitMix64).
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
