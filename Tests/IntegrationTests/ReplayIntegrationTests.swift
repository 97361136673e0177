import Foundation
import Harness
import Testing

/// `smart-ticket replay` follows the evaluation protocol: its figures equal the reference scorer's.
@Suite(.serialized) struct ReplayIntegrationTests {
    @Test func replayMatchesTheReferenceScorerOnZooKeeper() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let history = TestFixtures.zookeeperHistory.path
        let predictions = dir.file("predictions.jsonl")
        // Fairness 0: the model's accuracy (who can do the work), as docs/scoring-model.md's figures and issue #5's targets
        // measure it; the default fairness (0.2) knowingly trades a little of it for spread.
        let replay = try await ProcessRunner.run(Executables.path("smart-ticket"),
                                                 ["replay", "--history", history, "--predictions", predictions, "--quiet", "--weights", "fairness=0"])
        #expect(replay.status == 0, "\(replay.stderr)")
        let scorer = try await ProcessRunner.run("/usr/bin/env", ["python3", TestFixtures.replayScorer.path, history,
                                                                  "--predictions", predictions])
        #expect(scorer.status == 0, "\(scorer.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(scorer.stdout.utf8)) as? [String: Any])
        let system = try #require(report["system"] as? [String: Any])
        #expect(system["missing_predictions"] as? Int == 0)
        let inPool = try #require(system["in_pool"] as? [String: Double])
        // Our own figures, printed as "in pool:  n=... top1=0.446 ...", are the scorer's to three decimals.
        let line = try #require(replay.stdout.split(separator: "\n").first { $0.hasPrefix("in pool:") })
        for metric in ["top1", "top3", "top5", "top10", "mrr"] {
            let ours = line.split(separator: " ").first { $0.hasPrefix("\(metric)=") }.flatMap { Double($0.dropFirst(metric.count + 1)) }
            #expect(ours == inPool[metric], "\(metric): ours \(ours ?? -1), scorer \(inPool[metric] ?? -1)")
        }
        // And the model's quality does not regress: issue #5's targets, 1.1 × top-1 and 1.05 × top-5 of the
        // four-signal blend of docs/evaluation.md (0.475 and 0.80; the model has 0.489 and 0.811).
        #expect((inPool["top1"] ?? 0) >= 0.475, "in_pool top1 \(inPool["top1"] ?? -1)")
        #expect((inPool["top5"] ?? 0) >= 0.80, "in_pool top5 \(inPool["top5"] ?? -1)")
    }
}
