import Foundation

/// A labelled set of tickets, one JSON object per line (`{"id", "title", "description"?, "components"?,
/// "labels"?, "expected": [skill ids], "forbidden"?: [skill ids]}`), and a detector's precision and recall
/// on it. A skill counts as found when the detector reports it (weight >= `Options.minimumWeight`).
///
/// Used by the tests' floors and by `smart-ticket-bench skills --cases FILE`, so both compute the same figures.
public struct LabelledSkillCases: Sendable {
    /// One labelled ticket.
    public struct Case: Decodable, Sendable {
        public var id: String
        public var title: String
        public var description: String
        public var components: [String]
        public var labels: [String]
        /// The skills the ticket mostly needs.
        public var expected: [String]
        /// Skills that must not be reported.
        public var forbidden: [String]

        enum CodingKeys: String, CodingKey { case id, title, description, components, labels, expected, forbidden }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            title = try c.decode(String.self, forKey: .title)
            description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
            components = try c.decodeIfPresent([String].self, forKey: .components) ?? []
            labels = try c.decodeIfPresent([String].self, forKey: .labels) ?? []
            expected = try c.decode([String].self, forKey: .expected)
            forbidden = try c.decodeIfPresent([String].self, forKey: .forbidden) ?? []
        }
    }

    /// One case's difference from its labels.
    public struct Difference: Sendable, Equatable {
        public var id: String
        public var title: String
        public var missed: [String]
        public var extra: [String]
        public var forbidden: [String]
    }

    /// Counts over the whole set.
    public struct Score: Sendable, Equatable {
        public var cases = 0
        /// Expected skills found.
        public var right = 0
        /// Reported skills not expected.
        public var extra = 0
        /// Expected skills not found.
        public var missed = 0
        /// Cases with no skill found at all.
        public var empty = 0
        /// The cases whose findings differ from their labels, in file order.
        public var differences: [Difference] = []

        public var precision: Double { right + extra == 0 ? 0 : Double(right) / Double(right + extra) }
        public var recall: Double { right + missed == 0 ? 0 : Double(right) / Double(right + missed) }
        /// Reported forbidden skills, over all cases.
        public var forbidden: Int { differences.reduce(0) { $0 + $1.forbidden.count } }

        /// `precision 0.812, recall 0.900 (right 90, extra 21, missed 10; 2 of 50 cases with no skill)`.
        public var summary: String {
            String(format: "precision %.3f, recall %.3f (right %d, extra %d, missed %d; %d of %d cases with no skill)",
                   precision, recall, right, extra, missed, empty, cases)
        }
    }

    public let cases: [Case]

    public init(cases: [Case]) {
        self.cases = cases
    }

    /// Reads JSON lines; blank lines are skipped. Throws `SkillsError` naming the line of a bad case.
    public init(jsonLines data: Data) throws {
        var cases: [Case] = []
        for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            do {
                cases.append(try JSONDecoder().decode(Case.self, from: Data(line.utf8)))
            } catch {
                throw SkillsError(.malformed, field: "line \(number + 1)", "not a labelled case: \(error)")
            }
        }
        self.init(cases: cases)
    }

    public init(contentsOf url: URL) throws {
        try self.init(jsonLines: try Data(contentsOf: url))
    }

    /// The detector's findings on every case against the labels.
    public func score(_ detector: SkillDetector) -> Score {
        var score = Score()
        for entry in cases {
            let found = Set(detector.detect(title: entry.title, description: entry.description,
                                            components: entry.components, labels: entry.labels).map(\.name))
            let expected = Set(entry.expected)
            score.cases += 1
            score.right += found.intersection(expected).count
            score.extra += found.subtracting(expected).count
            score.missed += expected.subtracting(found).count
            if found.isEmpty { score.empty += 1 }
            let difference = Difference(id: entry.id, title: entry.title, missed: expected.subtracting(found).sorted(),
                                        extra: found.subtracting(expected).sorted(),
                                        forbidden: found.intersection(entry.forbidden).sorted())
            if !difference.missed.isEmpty || !difference.extra.isEmpty { score.differences.append(difference) }
        }
        return score
    }
}
