import Foundation
import Testing
import SkillsCore

/// Title-only tickets (`Fixtures/title-cases-tune.jsonl`, `-heldout.jsonl` and `-heldout-2.jsonl`, see
/// `Fixtures/README.md`): one-line titles that name a thing indirectly (a file format, an error name, a
/// product with a version, a symptom). The taxonomy was tuned on the tune set only; the held-out sets
/// measure it.
@Suite struct TitleCasesTests {
    /// Achieved on the held-out part when the floors were set; see `heldOutFigures`.
    /// Held out: precision 0.778, recall 0.710 (before the taxonomy's title aliases: 0.770, 0.681).
    static let heldOutPrecisionFloor = 0.77
    static let heldOutRecallFloor = 0.71
    /// Tune (107 titles): precision 0.876, recall 0.928 (before: 0.837, 0.737).
    static let tunePrecisionFloor = 0.87
    static let tuneRecallFloor = 0.92

    static func cases(_ name: String) throws -> LabelledSkillCases {
        try LabelledSkillCases(contentsOf: TestData.fixture(name))
    }

    static func report(_ name: String, _ score: LabelledSkillCases.Score) {
        print("\(name): \(score.summary)")
        for difference in score.differences {
            print("  \(difference.id) \(difference.title): missed \(difference.missed), extra \(difference.extra)")
        }
    }

    @Test func heldOutFigures() throws {
        let set = try Self.cases("title-cases-heldout.jsonl")
        #expect(set.cases.count >= 40)
        let score = set.score(TestData.detector)
        Self.report("title cases, held out", score)
        #expect(score.precision >= Self.heldOutPrecisionFloor)
        #expect(score.recall >= Self.heldOutRecallFloor)
    }

    /// Held out, second set (written after the first tuning, measured once at the end): precision 0.790,
    /// recall 0.778 (before: 0.776, 0.714).
    static let heldOut2PrecisionFloor = 0.79
    static let heldOut2RecallFloor = 0.77

    @Test func secondHeldOutFigures() throws {
        let set = try Self.cases("title-cases-heldout-2.jsonl")
        #expect(set.cases.count >= 40)
        let score = set.score(TestData.detector)
        Self.report("title cases, held out 2", score)
        #expect(score.precision >= Self.heldOut2PrecisionFloor)
        #expect(score.recall >= Self.heldOut2RecallFloor)
    }

    @Test func tuneFigures() throws {
        let set = try Self.cases("title-cases-tune.jsonl")
        #expect(set.cases.count >= 40)
        let score = set.score(TestData.detector)
        Self.report("title cases, tune", score)
        #expect(score.precision >= Self.tunePrecisionFloor)
        #expect(score.recall >= Self.tuneRecallFloor)
    }

    /// The sets share no title, and every label is a skill of the taxonomy.
    @Test func partsAreApartAndLabelsAreSkills() throws {
        let tune = try Self.cases("title-cases-tune.jsonl").cases
        let heldOut = try Self.cases("title-cases-heldout.jsonl").cases + Self.cases("title-cases-heldout-2.jsonl").cases
        let tuneTitles = Set(tune.map { $0.title.lowercased() })
        #expect(heldOut.allSatisfy { !tuneTitles.contains($0.title.lowercased()) })
        #expect(Set(heldOut.map { $0.title.lowercased() }).count == heldOut.count)
        for entry in tune + heldOut {
            #expect(!entry.expected.isEmpty, "\(entry.id)")
            #expect(entry.description.isEmpty && entry.components.isEmpty && entry.labels.isEmpty, "\(entry.id) is not title-only")
            for skill in entry.expected { #expect(TestData.taxonomy.skill(id: skill) != nil, "\(entry.id): \(skill)") }
        }
    }

    /// Issue 19's example: certificates named only as "certs" in a "PEM trust store".
    @Test func certificatesInAPEMTrustStore() {
        let found = TestData.detector.detect(title: "Avoid overriding same-subject certs in PEM trust store")
        #expect(found.contains { $0.name == "pki-certificates" }, "\(found)")
    }

    /// Issue 19's example: a Kubernetes symptom named by its status alone.
    @Test func podsInCrashLoopBackOff() {
        let found = TestData.detector.detect(title: "Pods stuck in CrashLoopBackOff")
        #expect(found.first?.name == "kubernetes", "\(found)")
    }

    /// Each skill's evidence lists a text once, on every labelled case (an alias repeated in several fields,
    /// an alias and a marker with the same text).
    @Test func evidenceTextsAreDistinct() throws {
        let sets = try ["skill-cases.jsonl", "title-cases-tune.jsonl"].map { try Self.cases($0) }
        for entry in sets.flatMap(\.cases) {
            for skill in TestData.detector.detect(title: entry.title, description: entry.description,
                                                  components: entry.components, labels: entry.labels) {
                #expect(Set(skill.evidence).count == skill.evidence.count, "\(entry.id) \(skill.name): \(skill.evidence)")
            }
        }
    }

    /// A product's ambiguous name counts when a version follows it (`Spark 3.5`, `Angular 18`); a name of
    /// one or two letters needs a dotted version (`Go 1.22`), so English stays English.
    @Test func productNamesWithAVersion() {
        func names(_ title: String) -> Set<String> { Set(TestData.detector.detect(title: title).map(\.name)) }
        #expect(names("Parquet files unreadable by Spark 3.5").contains("apache-spark"))
        #expect(names("Angular 18 migration leaves zone.js warnings").contains("angular"))
        #expect(names("Go 1.22 loop variable change breaks a test").contains("go"))
        #expect(!names("Spark plugs and other parts").contains("apache-spark"))
        #expect(!names("Let's go 2 steps back on the design").contains("go"))
        #expect(!names("Spark 2024 planning offsite").contains("apache-spark"))  // a year is not a version
        #expect(!names("Rails 1234 were replaced on the bridge").contains("rails"))
    }
}
