import Foundation
import Model

/// What-if: the replay protocol with other factor weights, compared side by side on accuracy, load
/// spread and skill fit of the system's first choices.
public enum WhatIf {
    /// The figures of one weight set.
    public struct Outcome: Sendable, Equatable {
        /// The weights used (the defaults for factors the set does not name).
        public var weights: [String: Double]
        /// Over every test ticket, and over those whose assignee was in the pool.
        public var all: ReplayScore
        public var inPool: ReplayScore
        /// Gini coefficient of the number of first choices per person, over everyone in a test ticket's pool
        /// (0: spread evenly, towards 1: the same few people get everything).
        public var loadGini: Double
        /// Mean skill fit (0...1) of the first choices.
        public var meanSkillFit: Double
    }

    /// A full weight set: the scoring model's default weights (``ScoringFactor/defaultWeights``, what a project starts
    /// with) with the factors `named` overriding theirs. The baseline of `smart-ticket replay`, `smart-ticket whatif`
    /// and `POST /api/v1/whatif` alike: `weightSet([:])` is the defaults.
    public static func weightSet(_ named: [String: Double]) -> [String: Double] {
        ScoringFactor.defaultWeights.merging(named) { _, new in new }
    }

    /// Factor names and values allowed in a weight set: known factors, finite, 0...10 (as a project's settings allow, so a
    /// set can be applied to a project as it is).
    public static func validate(_ weights: [String: Double]) -> String? {
        for (name, value) in weights.sorted(by: { $0.key < $1.key }) {
            guard ScoringFactor(rawValue: name) != nil else {
                return "weights.\(name): unknown factor (known: \(ScoringFactor.allCases.map(\.rawValue).joined(separator: ", ")))"
            }
            guard value.isFinite, value >= 0, value <= 10 else { return "weights.\(name): must be a number in 0...10" }
        }
        return nil
    }

    /// Parses `skillFit=1,similarWork=0.5`; nil with a message on bad input.
    public static func parse(_ list: String) -> Result<[String: Double], WhatIfError> {
        var weights: [String: Double] = [:]
        for pair in list.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, let value = Double(parts[1].trimmingCharacters(in: .whitespaces)) else {
                return .failure(WhatIfError(message: "expected NAME=NUMBER, got '\(pair)'"))
            }
            weights[parts[0].trimmingCharacters(in: .whitespaces)] = value
        }
        if let problem = validate(weights) { return .failure(WhatIfError(message: problem)) }
        return .success(weights)
    }

    /// Replays `records` once per weight set (each with detection from `skillSource`, as ``Replay/skillSource``).
    public static func run(_ records: [HistoryRecord], weightSets: [[String: Double]],
                           parameters: HistoryModel.Parameters = HistoryModel.Parameters(),
                           skillSource: (@Sendable () -> any TicketSkillSource)? = nil,
                           progress: (Int, Int, Int) -> Void = { _, _, _ in }) -> [Outcome] {
        weightSets.enumerated().map { index, weights in
            let settings = ProjectSettings(weights: weightSet(weights))
            var replay = Replay(settings: settings, parameters: parameters)
            replay.skillSource = skillSource
            let result = replay.run(records) { done, total in progress(index, done, total) }
            return outcome(result, weights: settings.weights)
        }
    }

    /// The what-if figures of one replay.
    public static func outcome(_ result: Replay.Result, weights: [String: Double]) -> Outcome {
        var picks: [String: Double] = [:]
        for person in result.people { picks[person] = 0 }
        for pick in result.picks where !pick.isEmpty { picks[pick, default: 0] += 1 }
        let fits = result.pickSkillFits
        return Outcome(weights: weights, all: result.all, inPool: result.inPool, loadGini: gini(Array(picks.values)),
                       meanSkillFit: fits.isEmpty ? 0 : fits.reduce(0, +) / Double(fits.count))
    }

    /// Gini coefficient of non-negative values: 0 when all equal, (n-1)/n when one holds everything.
    public static func gini(_ values: [Double]) -> Double {
        let sorted = values.map { max(0, $0) }.sorted()
        let total = sorted.reduce(0, +)
        guard sorted.count > 1, total > 0 else { return 0 }
        var weighted = 0.0
        for (index, value) in sorted.enumerated() { weighted += Double(index + 1) * value }
        let n = Double(sorted.count)
        return (2 * weighted) / (n * total) - (n + 1) / n
    }
}

/// A bad what-if input, with a message naming the field.
public struct WhatIfError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
