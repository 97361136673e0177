import Foundation
import Harness
import Model
import Testing
import SkillsCore

/// Pins the detector's exact outputs (names, weights, sources, evidence and their order) on a fixed set, so
/// speed work cannot change results unnoticed: per shared history, the vocabulary learned from its first
/// `learnedCount` tickets, then the next `checkedCount` tickets detected with it (the taxonomy's skills
/// and the learned ones) and the learned predictions alone (limit 10), and the labelled cases detected
/// with the numpy vocabulary.
///
/// The expected outputs are `Fixtures/pinned-outputs.jsonl`. After an intended change of results,
/// regenerate it with `SKILLS_WRITE_PINNED=1 swift test --filter PinnedOutputsTests` and review the diff.
@Suite struct PinnedOutputsTests {
    static let learnedCount = 1_500
    static let checkedCount = 100
    static let fixtureName = "pinned-outputs.jsonl"

    /// One pinned output: a case id and what was detected for it.
    struct Pinned: Codable, Equatable {
        var id: String
        var skills: [DetectedSkill]
    }

    @Test func outputsMatchThePinnedSet() async throws {
        // Seconds of CPU, on a thread of its own: not one of the cooperative pool's threads (two on two cores)
        // that every async test of the run needs.
        let actual = try await onBlockingThread { try Self.outputs() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let lines = try actual.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let url = TestData.fixture(Self.fixtureName)
        if ProcessInfo.processInfo.environment["SKILLS_WRITE_PINNED"] == "1" {
            try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(Pinned.self, from: Data($0.utf8)) }
        #expect(expected.count == actual.count)
        #expect(expected.count > 500)
        #expect(expected.contains { $0.skills.contains { $0.source == .learned } })
        var mismatches = 0
        for (want, got) in zip(expected, actual) where want != got {
            mismatches += 1
            if mismatches <= 5 { Issue.record("\(want.id): expected \(want.skills), got \(got.skills)") }
        }
        #expect(mismatches == 0)
    }

    /// The outputs of the fixed set, in a fixed order.
    static func outputs() throws -> [Pinned] {
        var pinned: [Pinned] = []
        var numpyLearned: LearnedSkills?
        for name in ["numpy", "zookeeper"] {
            let records = try HistoryReader.read(path: TestFixtures.history(name).path)
                .compactMap { try? $0.result.get() }
            guard records.count >= learnedCount + checkedCount else { throw CocoaError(.fileReadCorruptFile) }
            let learned = LearnedSkills()
            for record in records.prefix(learnedCount) {
                learned.learn(title: record.title, description: record.description, components: record.components,
                              labels: record.labels)
            }
            if numpyLearned == nil { numpyLearned = learned }
            for record in records.dropFirst(learnedCount).prefix(checkedCount) {
                let detector = TestData.detector
                pinned.append(Pinned(id: "\(record.key) learned", skills: detector.detect(
                    title: record.title, description: record.description, components: record.components,
                    labels: record.labels, learned: learned)))
                pinned.append(Pinned(id: "\(record.key) predict", skills: learned.predict(
                    title: record.title, description: record.description, limit: 10)))
            }
        }
        for entry in try TestData.skillCases() {
            pinned.append(Pinned(id: "\(entry.id) learned", skills: TestData.detector.detect(
                title: entry.title, description: entry.description, components: entry.components, labels: entry.labels,
                learned: numpyLearned)))
        }
        return pinned
    }
}
