import Contracts
import Foundation
import Lifecycle
import Model
import ScoringCore
import ScoringService

/// `smart-ticket whatif`: the replay protocol once per factor weight set, compared side by side.
enum WhatIfCommand {
    static let spec = CommandSpec(
        name: "smart-ticket whatif",
        summary: "Replay a ticket history with several factor weight sets and print accuracy, load spread and skill fit side by side.",
        options: [
            .init("history", value: "FILE", help: "Ticket history (JSONL; required)."),
            .init("weights", value: "LIST", help: "One weight set, e.g. skillFit=1,similarWork=0.5 (repeat for more; unnamed factors keep the scoring model's defaults; none: the defaults alone)."),
            .init("no-learned-skills", help: "Skill fit from the tickets' own components and labels only."),
            .init("json", help: "Print the figures as one JSON object, as POST /api/v1/whatif answers (the same fields and names), instead of a table."),
            .quiet,
        ])

    static func run(_ arguments: [String]) async throws -> Int32 {
        // `--weights` may be repeated: take every occurrence out before the common parser (which keeps one).
        var rest: [String] = []
        var lists: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--weights" {
                guard index + 1 < arguments.count else { throw UsageError(message: "smart-ticket whatif: --weights needs a value (LIST)") }
                lists.append(arguments[index + 1])
                index += 2
            } else if argument.hasPrefix("--weights=") {
                lists.append(String(argument.dropFirst("--weights=".count)))
                index += 1
            } else {
                rest.append(argument)
                index += 1
            }
        }
        let parsed = try spec.parse(rest)
        let history = try parsed.require("history")
        let sets = try weightSets(lists)
        let records = try ReplayCommand.readRecords(history)
        var parameters = HistoryModel.Parameters()
        parameters.learnedSkills = !parsed.has("no-learned-skills")
        let progress = ProgressBar(total: 100 * sets.count, label: "what-if", enabled: !parsed.has("quiet"))
        let outcomes = WhatIf.run(records, weightSets: sets, parameters: parameters,
                                  skillSource: try ReplayCommand.localSkillSource()) { set, done, total in
            progress.update(set * 100 + (total == 0 ? 0 : done * 100 / total))
        }
        progress.finish()
        let figures = ScoringContract.WhatIfResponse(tickets: records.filter { $0.resolved != nil }.count, outcomes: outcomes)
        print(parsed.has("json") ? try ReplayCommand.json(figures) : table(figures))
        return 0
    }

    /// Each `--weights` list as a full weight set: the scoring model's defaults (``WhatIf/weightSet(_:)``, the baseline
    /// of `replay` and of the API's what-if too) with the factors it names; no list at all is the defaults alone.
    static func weightSets(_ lists: [String]) throws -> [[String: Double]] {
        try (lists.isEmpty ? [""] : lists).enumerated().map { number, list in
            switch WhatIf.parse(list) {
            case .success(let named): return WhatIf.weightSet(named)
            case .failure(let error): throw UsageError(message: "smart-ticket whatif: --weights #\(number + 1): \(error.message)")
            }
        }
    }

    /// One column per weight set; rows: the weights, the counts, the in-pool top-k and MRR, load Gini, mean skill fit;
    /// then what the figures mean and the warnings.
    static func table(_ figures: ScoringContract.WhatIfResponse) -> String {
        let results = figures.results
        var rows: [(String, [String])] = []
        for factor in ScoringFactor.allCases {
            rows.append((factor.rawValue, results.map { format($0.weights[factor.rawValue] ?? 0, 2) }))
        }
        rows.append(("test tickets", results.map { String($0.testTickets) }))
        rows.append(("in pool", results.map { String($0.inPool) }))
        rows.append(("coverage", results.map { format($0.coverage, 3) }))
        rows.append(("top1", results.map { format($0.top1, 3) }))
        rows.append(("top3", results.map { format($0.top3, 3) }))
        rows.append(("top5", results.map { format($0.top5, 3) }))
        rows.append(("top10", results.map { format($0.top10, 3) }))
        rows.append(("MRR", results.map { format($0.mrr, 3) }))
        rows.append(("load gini", results.map { format($0.loadGini, 3) }))
        rows.append(("pick skill fit", results.map { format($0.meanSkillFit, 3) }))
        var text = "Replayed \(figures.tickets) resolved tickets with \(results.count) weight \(results.count == 1 ? "set" : "sets")."
        text += "\n" + pad("", 16) + results.indices.map { pad("set \($0 + 1)", 10) }.joined()
        for (name, values) in rows { text += "\n" + pad(name, 16) + values.map { pad($0, 10) }.joined() }
        text += "\n(workload and availability have no data in a history: neutral in a replay; fairness uses the effort each"
        text += "\n person resolved in the 30 days before each ticket)"
        let lines = ReplayCommand.legend(ReplayReading.legend + ReplayReading.whatIfLegend) + ReplayCommand.warningLines(figures.warnings)
        return text + "\n" + lines.joined(separator: "\n")
    }

    static func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
    static func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count) }
}
