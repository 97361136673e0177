import Foundation
import Lifecycle
import Model
import ScoringCore
import SkillsCore

/// `smart-ticket replay`: the evaluation protocol on a ticket history, with the scoring code the services run.
enum ReplayCommand {
    static let spec = CommandSpec(
        name: "smart-ticket replay", summary: "Replay a ticket history (docs/evaluation.md) and print top-1/3/5/10 and MRR.",
        options: [
            .init("history", value: "FILE", help: "Ticket history (JSONL; required)."),
            .init("predictions", value: "OUT", help: "Write the predictions here (JSONL: key, ranked)."),
            .init("weights", value: "LIST", help: "Factor weights, e.g. skillFit=0.4,similarWork=1,recentActivity=0.6,fairness=0.2 (fairness is 0 unless named)."),
            .init("no-learned-skills", help: "Skill fit from the tickets' own components and labels only (no components predicted by the learned vocabulary)."),
            .init("without-components", help: "Rank test tickets without their components and labels (as before triage); measures the learned skill detector."),
            .quiet,
        ])

    static func run(_ arguments: [String]) async throws -> Int32 {
        let parsed = try spec.parse(arguments)
        let history = try parsed.require("history")
        // Accuracy of who can do the work: fairness (a load policy that knowingly costs accuracy) is off unless
        // --weights names it; `smart-ticket whatif` shows the trade-off. Workload and availability have no data.
        var settings = ProjectSettings()
        settings.weights[ScoringFactor.fairness.rawValue] = 0
        if let list = parsed["weights"] {
            switch WhatIf.parse(list) {
            case .success(let weights): for (name, value) in weights { settings.weights[name] = value }
            case .failure(let error): throw UsageError(message: "--weights: \(error.message)")
            }
        }
        let records = try readRecords(history)
        let progress = ProgressBar(total: 100, label: "replaying", enabled: !parsed.has("quiet"))
        var parameters = HistoryModel.Parameters()
        parameters.learnedSkills = !parsed.has("no-learned-skills")
        var replay = Replay(settings: settings, parameters: parameters)
        replay.hideSkills = parsed.has("without-components")
        replay.skillSource = try localSkillSource()
        let result = replay.run(records) { done, total in
            progress.update(total == 0 ? 0 : done * 100 / total)
        }
        progress.finish()
        if let out = parsed["predictions"] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            var text = ""
            for prediction in result.predictions { text += String(decoding: try encoder.encode(prediction), as: UTF8.self) + "\n" }
            try text.write(toFile: out, atomically: true, encoding: .utf8)
        }
        print("learned \(result.learned), tested \(result.all.tickets) in \(String(format: "%.2f", result.seconds)) s")
        print("all:     \(result.all.summary)")
        print("in_pool: \(result.inPool.summary)")
        return 0
    }

    /// Detection as the skills service runs it with no model configured: the bundled taxonomy and a learned
    /// vocabulary of the replay's own, fresh for each run.
    static func localSkillSource() throws -> @Sendable () -> any TicketSkillSource {
        let detector = SkillDetector(taxonomy: try SkillTaxonomy.bundled())
        return { HistorySkillDetector(detector: detector) }
    }

    /// The history's records; bad lines are skipped with their line number on standard error (the first ten).
    static func readRecords(_ history: String) throws -> [HistoryRecord] {
        let lines = try HistoryReader.read(path: history)
        var records: [HistoryRecord] = []
        var bad = 0
        for line in lines {
            switch line.result {
            case .success(let record): records.append(record)
            case .failure(let error):
                bad += 1
                if bad <= 10 { FileHandle.standardError.write(Data("skipped \(error)\n".utf8)) }
            }
        }
        return records
    }
}
