import Contracts
import Foundation
import Lifecycle
import Model
import ScoringCore
import ScoringService
import SkillsCore

/// `smart-ticket replay`: the evaluation protocol on a ticket history, with the scoring code the services run.
enum ReplayCommand {
    static let spec = CommandSpec(
        name: "smart-ticket replay", summary: "Replay a ticket history (docs/evaluation.md) and print top-1/3/5/10 and MRR.",
        options: [
            .init("history", value: "FILE", help: "Ticket history (JSONL; required)."),
            .init("predictions", value: "OUT", help: "Write the predictions here (JSONL: key, ranked)."),
            .init("weights", value: "LIST", help: "Factor weights, e.g. skillFit=0.4,fairness=0 (unnamed factors keep the scoring model's defaults, as in whatif and the API)."),
            .init("no-learned-skills", help: "Skill fit from the tickets' own components and labels only (no components predicted by the learned vocabulary)."),
            .init("without-components", help: "Rank test tickets without their components and labels (as before triage); measures the learned skill detector."),
            .init("json", help: "Print the figures as one JSON object, as POST /api/v1/whatif answers (the same fields and names)."),
            .quiet,
        ])

    static func run(_ arguments: [String]) async throws -> Int32 {
        let parsed = try spec.parse(arguments)
        let history = try parsed.require("history")
        let settings = ProjectSettings(weights: try weights(parsed["weights"]))
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
        let outcome = WhatIf.outcome(result, weights: settings.weights)
        let figures = ScoringContract.WhatIfResponse(tickets: result.learned + result.all.tickets, outcomes: [outcome])
        if parsed.has("json") {
            print(try json(figures))
        } else {
            print(report(result, figures))
        }
        return 0
    }

    /// The weights a replay ranks with: the scoring model's defaults (``WhatIf/weightSet(_:)``, the baseline of
    /// `whatif` and of the API's what-if too) with the factors `list` names (`skillFit=1,fairness=0`).
    static func weights(_ list: String?) throws -> [String: Double] {
        switch WhatIf.parse(list ?? "") {
        case .success(let named): return WhatIf.weightSet(named)
        case .failure(let error): throw UsageError(message: "--weights: \(error.message)")
        }
    }

    /// The human-readable report: what was replayed, with which weights, the figures, what they mean, and the warnings.
    static func report(_ result: Replay.Result, _ figures: ScoringContract.WhatIfResponse) -> String {
        let tested = result.all.tickets
        var lines = [
            "Replayed \(figures.tickets) resolved tickets in \(String(format: "%.2f", result.seconds)) s: learned the first \(result.learned), "
                + "then ranked the last \(tested) (\(result.inPool.tickets) with their assignee in the candidate pool).",
            "weights: " + weightList(figures.results.first?.weights ?? [:]) + " (workload and availability have no data in a history: neutral here)",
            "in pool:  \(result.inPool.summary)",
            "all:      \(result.all.summary)",
            String(format: "coverage: %.3f", figures.results.first?.coverage ?? 0),
        ]
        lines += legend(ReplayReading.legend + [("all", "the same figures over every test ticket (top-k × coverage)")])
        lines += warningLines(figures.warnings)
        return lines.joined(separator: "\n")
    }

    /// `skillFit=0.4 similarWork=1 ...`, in ``ScoringFactor`` order.
    static func weightList(_ weights: [String: Double]) -> String {
        ScoringFactor.allCases.map { "\($0.rawValue)=\(String(format: "%g", weights[$0.rawValue] ?? 0))" }.joined(separator: " ")
    }

    /// The legend under the figures, headed, the meanings aligned.
    static func legend(_ entries: [(name: String, meaning: String)]) -> [String] {
        ["", "What the figures mean:"] + entries.map { "  " + $0.name.padding(toLength: 16, withPad: " ", startingAt: 0) + $0.meaning }
    }

    /// Each warning on a line of its own, after a blank line.
    static func warningLines(_ warnings: [String]) -> [String] {
        warnings.isEmpty ? [] : [""] + warnings.map { "Warning: " + $0 }
    }

    /// The figures as one line of JSON, keys sorted: the API's what-if answer.
    static func json(_ figures: ScoringContract.WhatIfResponse) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(figures), as: UTF8.self)
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
