import Foundation
import Harness
import Testing

/// What a lead reads from `smart-ticket replay`, `smart-ticket whatif` and `POST /api/v1/whatif` on a history too small
/// to mean anything: the legend under the figures, the warning with the counts and what to do, and in JSON the same
/// camelCase fields from the CLI as from the API.
@Suite(.serialized) struct ReplayOutputIntegrationTests {
    /// The fields of one weight set's figures, in the CLI's JSON and the API's answer alike.
    static let resultKeys: Set<String> = ["weights", "testTickets", "inPool", "coverage", "top1", "top3", "top5", "top10", "mrr",
                                          "loadGini", "meanSkillFit"]

    /// 30 resolved tickets of project T, one a day, three people each with their own component: the replay tests the last 6.
    static func tinyHistory() -> String {
        let people = [("ana", "parser"), ("bo", "ui"), ("cy", "storage")]
        return (0..<30).map { index in
            let (person, component) = people[index % 3]
            let created = Date(timeIntervalSince1970: 1_704_067_200 + Double(index) * 86_400)
            let resolved = created.addingTimeInterval(7200)
            return #"{"key": "T-\#(index + 1)", "project": "T", "title": "\#(component) fails on input \#(index)", "#
                + #""description": "the \#(component) breaks", "components": ["\#(component)"], "assignee": "\#(person)", "status": "done", "#
                + #""created": "\#(ISO8601DateFormatter().string(from: created))", "resolved": "\#(ISO8601DateFormatter().string(from: resolved))"}"#
        }.joined(separator: "\n") + "\n"
    }

    static let warning = "Too little history for these figures to mean much: 30 resolved tickets, 6 tested, 6 with their assignee in the "
        + "candidate pool (fewer than 50); a rate over 6 tickets can be off by ±40 percentage points (95% interval). Import more history "
        + "(at least 250 resolved, assigned tickets, so that 50 or more are tested) and replay again."

    /// Every key of `value`, at any depth except inside `weights` (factor names).
    static func keys(_ value: Any) -> [String] {
        if let object = value as? [String: Any] {
            return object.flatMap { key, inner in [key] + (key == "weights" ? [] : keys(inner)) }
        }
        if let array = value as? [Any] { return array.flatMap(keys) }
        return []
    }

    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    @Test func theCLIExplainsItsFiguresAndWarnsOfASmallHistory() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let history = directory.file("tiny.jsonl")
        FileManager.default.createFile(atPath: history, contents: Data(Self.tinyHistory().utf8))
        let cli = Executables.path("smart-ticket")

        let replay = try await ProcessRunner.run(cli, ["replay", "--history", history, "--quiet"])
        #expect(replay.status == 0, "\(replay.stderr)")
        let text = replay.stdout
        #expect(text.contains("Replayed 30 resolved tickets in "), "\(text)")
        #expect(text.contains(": learned the first 24, then ranked the last 6 (6 with their assignee in the candidate pool)."), "\(text)")
        #expect(text.contains("weights: skillFit=0.4 similarWork=1 workload=0.3 availability=0.5 fairness=0.2 recentActivity=0.6"), "\(text)")
        #expect(text.contains("\nin pool:  n=6 top1="), "\(text)")
        #expect(text.contains("\ncoverage: 1.000"), "\(text)")
        for line in ["What the figures mean:",
                     "  top-k           share of the in-pool test tickets whose real assignee was among the first k people ranked (top1: ranked first)",
                     "  MRR             mean reciprocal rank: the mean of 1/rank of the real assignee over the in-pool test tickets",
                     "  in pool         test tickets whose real assignee was in the candidate pool (resolved a ticket in the 365 days before)",
                     "  coverage        in pool / test tickets: the share of test tickets the ranking could get right at all",
                     "Warning: " + Self.warning] {
            #expect(text.contains(line + "\n"), "missing: \(line)\n\(text)")
        }

        let replayJSON = try await ProcessRunner.run(cli, ["replay", "--history", history, "--quiet", "--json"])
        #expect(replayJSON.status == 0, "\(replayJSON.stderr)")
        let replayFigures = try object(replayJSON.stdout)
        #expect(Set(replayFigures.keys) == ["tickets", "results", "warnings"])
        #expect(replayFigures["tickets"] as? Int == 30)
        #expect(replayFigures["warnings"] as? [String] == [Self.warning])
        let replayResult = try #require((replayFigures["results"] as? [[String: Any]])?.first)
        #expect(Set(replayResult.keys) == Self.resultKeys)
        #expect(replayResult["testTickets"] as? Int == 6)
        #expect(replayResult["inPool"] as? Int == 6)
        #expect(replayResult["weights"] as? [String: Double] == ["skillFit": 0.4, "similarWork": 1, "workload": 0.3, "availability": 0.5,
                                                                  "fairness": 0.2, "recentActivity": 0.6])
        #expect(Self.keys(replayFigures).allSatisfy { !$0.contains("_") }, "camelCase only: \(Self.keys(replayFigures))")

        let whatIf = try await ProcessRunner.run(cli, ["whatif", "--history", history, "--quiet", "--weights", "similarWork=1", "--weights", "fairness=0"])
        #expect(whatIf.status == 0, "\(whatIf.stderr)")
        #expect(whatIf.stdout.contains("What the figures mean:\n"), "\(whatIf.stdout)")
        #expect(whatIf.stdout.contains("  load gini       how unevenly first choices spread"), "\(whatIf.stdout)")
        #expect(whatIf.stdout.contains("\nin pool         6         6"), "\(whatIf.stdout)")
        #expect(whatIf.stdout.contains("Warning: " + Self.warning), "\(whatIf.stdout)")
        #expect(!whatIf.stdout.contains("in_pool"), "\(whatIf.stdout)")

        let whatIfJSON = try await ProcessRunner.run(cli, ["whatif", "--history", history, "--quiet", "--json", "--weights", "similarWork=1"])
        #expect(whatIfJSON.status == 0, "\(whatIfJSON.stderr)")
        let whatIfFigures = try object(whatIfJSON.stdout)
        #expect(Self.keys(whatIfFigures).allSatisfy { !$0.contains("_") }, "camelCase only: \(Self.keys(whatIfFigures))")
        #expect(whatIfFigures["warnings"] as? [String] == [Self.warning])
        let whatIfResult = try #require((whatIfFigures["results"] as? [[String: Any]])?.first)
        #expect(Set(whatIfResult.keys) == Self.resultKeys)
        // The same baseline: what-if with the defaults' own similarWork replays exactly what replay did.
        for key in ["top1", "top3", "top5", "top10", "mrr", "coverage", "loadGini", "meanSkillFit"] {
            #expect(whatIfResult[key] as? Double == replayResult[key] as? Double, "\(key)")
        }
    }

    @Test func theAPIWhatIfWarnsOfASmallHistoryWithTheCLIsFieldsAndWords() async throws {
        let system = try await RunningSystem()
        defer { system.directory.remove() }
        let history = system.directory.file("tiny.jsonl")
        FileManager.default.createFile(atPath: history, contents: Data(Self.tinyHistory().utf8))
        let cli = Executables.path("smart-ticket")
        let imported = try await ProcessRunner.run(cli, ["import", "--run-dir", system.runDirectory.path, "--tenant", "acme", "--quiet", history])
        #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
        let api = GatewayIntegrationTests.Client(base: try #require(system.url))
        let member = try await GatewayIntegrationTests().token(system, tenant: "acme", subject: "mo", role: "member")

        let (status, answer) = try await api.call("POST", "/api/v1/whatif", token: member, body: #"{"project":"T","weights":[{}]}"#)
        #expect(status == 200, "\(answer)")
        #expect(answer["tickets"] as? Int == 30)
        #expect(answer["warnings"] as? [String] == [Self.warning])
        let result = try #require((answer["results"] as? [[String: Any]])?.first)
        #expect(Set(result.keys) == Self.resultKeys)
        #expect(result["testTickets"] as? Int == 6)
        #expect(result["inPool"] as? Int == 6)
        #expect(result["coverage"] as? Double == 1)
        #expect(result["weights"] as? [String: Double] == ["skillFit": 0.4, "similarWork": 1, "workload": 0.3, "availability": 0.5,
                                                            "fairness": 0.2, "recentActivity": 0.6], "an empty set is the defaults")
        #expect(Self.keys(answer).allSatisfy { !$0.contains("_") }, "camelCase only: \(Self.keys(answer))")

        // The CLI on the same history: the same fields, counts and words.
        let local = try await ProcessRunner.run(cli, ["whatif", "--history", history, "--quiet", "--json"])
        #expect(local.status == 0, "\(local.stderr)")
        let figures = try object(local.stdout)
        #expect(Set(figures.keys) == Set(answer.keys))
        #expect(figures["tickets"] as? Int == answer["tickets"] as? Int)
        #expect(figures["warnings"] as? [String] == answer["warnings"] as? [String])
        let localResult = try #require((figures["results"] as? [[String: Any]])?.first)
        #expect(Set(localResult.keys) == Set(result.keys))
        for key in ["testTickets", "inPool"] { #expect(localResult[key] as? Int == result[key] as? Int, "\(key)") }
        #expect(await system.stop() == 0)
    }
}
