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
}
