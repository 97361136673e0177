import Foundation
import Harness
import SkillsCore

/// `smart-ticket-bench skills --cases FILES`: the local detector's precision and recall on labelled cases
/// (`LabelledSkillCases`), the same figures the SkillsCore tests hold floors on.
enum SkillCasesBench {
    /// The labelled sets of this checkout, for `--cases all`.
    static let repositorySets = ["skill-cases.jsonl", "title-cases-tune.jsonl", "title-cases-heldout.jsonl", "title-cases-heldout-2.jsonl"].map {
        TestFixtures.repositoryRoot.appendingPathComponent("Tests/SkillsCoreTests/Fixtures").appendingPathComponent($0).path
    }

    /// `all`, or comma-separated paths.
    static func paths(_ argument: String) -> [String] {
        argument == "all" ? repositorySets : argument.split(separator: ",").map { String($0) }
    }

    static func run(paths: [String], misses: Bool, emit: (BenchResult) -> Void) throws {
        let detector = SkillDetector(taxonomy: try SkillTaxonomy.bundled())
        for path in paths {
            let score = try LabelledSkillCases(contentsOf: URL(fileURLWithPath: path)).score(detector)
            let name = "cases." + ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            emit(BenchResult(name: name, note: score.summary))
            guard misses else { continue }
            for difference in score.differences {
                print("  \(difference.id) \(difference.title.prefix(80)): missed \(difference.missed), extra \(difference.extra)")
            }
        }
    }
}
