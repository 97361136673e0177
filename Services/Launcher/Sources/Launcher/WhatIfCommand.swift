import Foundation
import Lifecycle
import Model
import ScoringCore

/// `smart-ticket whatif`: the replay protocol once per factor weight set, compared side by side.
enum WhatIfCommand {
    static let spec = CommandSpec(
        name: "smart-ticket whatif",
        summary: "Replay a ticket history with several factor weight sets and print accuracy, load spread and skill fit side by side.",
        options: [
            .init("history", value: "FILE", help: "Ticket history (JSONL; required)."),
            .init("weights", value: "LIST", help: "One weight set, e.g. skillFit=1,similarWork=0.5 (repeat for more; unnamed factors keep their defaults)."),
            .init("no-learned-skills", help: "Skill fit from the tickets' own components and labels only."),
            .init("json", help: "Print the figures as JSON lines instead of a table."),
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
        if lists.isEmpty { lists = [""] }   // the defaults alone
        var weightSets: [[String: Double]] = []
        for (number, list) in lists.enumerated() {
            switch WhatIf.parse(list) {
            case .success(let weights): weightSets.append(weights)
            case .failure(let error): throw UsageError(message: "smart-ticket whatif: --weights #\(number + 1): \(error.message)")
            }
        }
        let records = try ReplayCommand.readRecords(history)
        var parameters = HistoryModel.Parameters()
        parameters.learnedSkills = !parsed.has("no-learned-skills")
        let progress = ProgressBar(total: 100 * weightSets.count, label: "what-if", enabled: !parsed.has("quiet"))
        let outcomes = WhatIf.run(records, weightSets: weightSets, parameters: parameters,
                                  skillSource: try ReplayCommand.localSkillSource()) { set, done, total in
            progress.update(set * 100 + (total == 0 ? 0 : done * 100 / total))
        }
        progress.finish()
        if parsed.has("json") {
            for outcome in outcomes { print(jsonLine(outcome)) }
        } else {
            print(table(outcomes))
        }
        return 0
    }

    /// One column per weight set; rows: the weights, in_pool top-k and MRR, load Gini, mean skill fit.
    static func table(_ outcomes: [WhatIf.Outcome]) -> String {
        var rows: [(String, [String])] = []
        for factor in ScoringFactor.allCases {
            rows.append((factor.rawValue, outcomes.map { format($0.weights[factor.rawValue] ?? 0, 2) }))
        }
        rows.append(("in_pool top1", outcomes.map { format($0.inPool.top1, 3) }))
        rows.append(("in_pool top3", outcomes.map { format($0.inPool.top3, 3) }))
        rows.append(("in_pool top5", outcomes.map { format($0.inPool.top5, 3) }))
        rows.append(("in_pool top10", outcomes.map { format($0.inPool.top10, 3) }))
        rows.append(("in_pool mrr", outcomes.map { format($0.inPool.mrr, 3) }))
        rows.append(("all top1", outcomes.map { format($0.all.top1, 3) }))
        rows.append(("load gini", outcomes.map { format($0.loadGini, 3) }))
        rows.append(("pick skill fit", outcomes.map { format($0.meanSkillFit, 3) }))
        var text = pad("", 16) + outcomes.indices.map { pad("set \($0 + 1)", 10) }.joined()
        for (name, values) in rows { text += "\n" + pad(name, 16) + values.map { pad($0, 10) }.joined() }
        text += "\n(workload and availability have no data in a history: neutral in a replay; fairness uses the effort each"
        text += "\n person resolved in the 30 days before each ticket)"
        return text
    }

    static func jsonLine(_ outcome: WhatIf.Outcome) -> String {
        func score(_ s: ReplayScore) -> [String: Any] {
            ["n": s.tickets, "top1": s.top1, "top3": s.top3, "top5": s.top5, "top10": s.top10, "mrr": s.mrr]
        }
        let object: [String: Any] = ["weights": outcome.weights, "all": score(outcome.all), "in_pool": score(outcome.inPool),
                                     "load_gini": outcome.loadGini, "mean_skill_fit": outcome.meanSkillFit]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
    static func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count) }
}
