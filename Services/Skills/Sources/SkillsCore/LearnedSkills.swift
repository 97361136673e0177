import Foundation
import Model
import Synchronization
import TextKit

/// One tenant's learned vocabulary: which words and phrases of resolved tickets predict which components
/// and labels, so a team's own terms ("the ledger", "ZAB", "ufunc") become skills.
///
/// Learning counts one ticket at a time (no rebuild): per term (unigrams and bigrams, stop words removed)
/// the number of tickets with it, and per (term, target) the number with both. Counts are recency-weighted
/// (a ticket counts half as much as one learned `halfLife` tickets later, 500 by default), so renamed
/// components and a team's changing vocabulary are followed. Predictions are skills named
/// `component:<name>` or `label:<name>` with source `.learned`; see `predict` for the score. Memory is
/// capped: past `maxTerms` terms or `maxPairs` pairs the rarest terms are dropped. Thread-safe: every call
/// takes a lock (a prediction holds it for a few microseconds: the terms are extracted outside it).
public final class LearnedSkills: Sendable {
    /// Limits and smoothing.
    public struct Configuration: Codable, Sendable, Equatable {
        /// Terms seen in fewer tickets are ignored when predicting.
        public var minTermCount: Int
        /// Distinct terms kept before the rarest are pruned.
        public var maxTerms: Int
        /// (term, target) pairs kept before the rarest terms are pruned.
        public var maxPairs: Int
        /// Distinct components and labels tracked; later new ones are ignored.
        public var maxTargets: Int
        /// The pseudo-count `m` pulling P(target | term) toward P(target).
        public var smoothing: Double
        /// A ticket counts half as much as one learned this many tickets later; 0 weighs all tickets alike.
        public var halfLife: Int

        public init(minTermCount: Int = 3, maxTerms: Int = 200_000, maxPairs: Int = 2_000_000, maxTargets: Int = 5_000,
                    smoothing: Double = 2, halfLife: Int = 500) {
            self.minTermCount = max(1, minTermCount)
            self.maxTerms = max(100, maxTerms)
            self.maxPairs = max(1_000, maxPairs)
            self.maxTargets = max(1, maxTargets)
            self.smoothing = max(0.01, smoothing)
            self.halfLife = max(0, halfLife)
        }
    }

    /// Skill-name prefixes of learned targets (``DetectedSkill/componentPrefix``, ``DetectedSkill/labelPrefix``).
    public static let componentPrefix = DetectedSkill.componentPrefix
    public static let labelPrefix = DetectedSkill.labelPrefix
    /// The longest component or label name kept.
    public static let maxTargetBytes = 200

    let state: Mutex<LearnedModel>

    public init(configuration: Configuration = Configuration()) {
        state = Mutex(LearnedModel(configuration: configuration))
    }

    init(model: LearnedModel) {
        state = Mutex(model)
    }

    /// How many tickets were learned.
    public var ticketCount: Int { state.withLock { $0.ticketCount } }

    /// Whether anything was learned that a prediction could return (most tenants at first: nothing).
    var canPredict: Bool { state.withLock { $0.canPredict } }

    /// How many distinct terms are held.
    public var termCount: Int { state.withLock { $0.liveTerms } }

    /// Learns one resolved ticket.
    public func learn(title: String, description: String = "", components: [String] = [], labels: [String] = []) {
        var extractor = TermExtractor()
        extractor.extract(title: title, description: description)
        let names = Self.targetNames(components: components, labels: labels)
        state.withLock { model in
            let targets = names.compactMap { model.target($0) }
            model.learn(extractor, targets: targets)
        }
    }

    /// The components and labels a ticket's words predict, heaviest first: `component:numpy/linalg` with, as
    /// its weight (0...1), the mean over the ticket's known terms of the smoothed P(component | term),
    /// each term weighted by how informative it is (the total variation distance between P(· | term) and
    /// P(·)); the terms that supported it most are the evidence. Terms seen in fewer than `minTermCount`
    /// tickets are ignored.
    public func predict(title: String, description: String = "", limit: Int = 5) -> [DetectedSkill] {
        // Nothing learned yet (most tenants at first): skip extracting the terms.
        guard limit > 0, state.withLock({ $0.canPredict }) else { return [] }
        var extractor = TermExtractor()
        extractor.extract(title: title, description: description, ranges: false)
        return predictions(extractor, limit: limit)
    }

    /// `predict(title:description:limit:)` for the detector, reusing the words it found in title and
    /// description (when they fit the extractor's limit; otherwise the text is tokenized again).
    /// Predictions weighing less than `minimumWeight` are left out.
    func predict(title: String, titleWords: HashedWords, description: String, descriptionWords: HashedWords,
                 limit: Int, minimumWeight: Double) -> [DetectedSkill] {
        guard limit > 0, state.withLock({ $0.canPredict }) else { return [] }
        var extractor = TermExtractor()
        if TermExtractor.fits(title: title, description: description) {
            extractor.extract(title: title, titleWords: titleWords, description: description, descriptionWords: descriptionWords)
        } else {
            extractor.extract(title: title, description: description, ranges: false)
        }
        return predictions(extractor, limit: limit, minimumWeight: minimumWeight)
    }

    private func predictions(_ extractor: TermExtractor, limit: Int, minimumWeight: Double = -.infinity) -> [DetectedSkill] {
        let predictions = state.withLock { model in model.predict(extractor, limit: limit, minimumWeight: minimumWeight) }
        return predictions.map {
            DetectedSkill(name: $0.target, weight: $0.weight, source: .learned, evidence: $0.evidence)
        }
    }

    /// `component:<name>` and `label:<name>` for each non-empty, trimmed name, without duplicates.
    static func targetNames(components: [String], labels: [String]) -> [String] {
        var names: [String] = []
        for (prefix, values) in [(componentPrefix, components), (labelPrefix, labels)] {
            for value in values.prefix(64) {
                var copy = value
                let trimmed = copy.withUTF8 { String.trimmed($0) }
                guard !trimmed.isEmpty, trimmed.utf8.count <= maxTargetBytes else { continue }
                let name = prefix + trimmed
                if !names.contains(name) { names.append(name) }
            }
        }
        return names
    }
}
