import TextKit

/// A taxonomy compiled for matching: every alias word gets a dense id, one-word aliases are found by id
/// and longer ones by their first two words (longest first), markers sit in a `MarkerIndex` and
/// extensions in a dictionary. Immutable, shared by every detection.
final class SkillIndex: Sendable {
    struct Phrase: Sendable {
        var rest: Int32  // offset of the words after the first in `restWords`
        var restCount: Int32
        var skill: Int32
        var evidence: Int32
        var weak: Bool
        /// For a weak one-word alias that names a product (`node`, `swift`), the least version
        /// (`Tokenizer.versionNumber` or `.dottedVersion`) that makes it count as a strong one when it
        /// follows (`Node 20`, `Swift 6.1`); 0 for other phrases. Names of one or two letters (`go`, `ts`)
        /// need a dotted version (`Go 1.22`): `go 2 steps back` is English.
        var versioned: UInt8 = 0
    }

    /// The categories of products: a weak one-word alias that is also a word of the skill's id or name
    /// (`spark` of `apache-spark`, `go`, `angular`) names the product when a version follows.
    static let productCategories: Set<String> = ["language", "framework", "database", "cloud", "infrastructure", "data-ml"]

    struct Ancestor: Sendable {
        var skill: Int32
        var depth: Int32
    }

    /// Word ids for matching.
    let words: FrozenTokenTable
    /// Phrases starting with word `w` are `phrases[phraseStarts[w]..<phraseStarts[w + 1]]`.
    let phraseStarts: [Int32]
    let phrases: [Phrase]
    let restWords: [Int32]
    /// For each word id, the index of the one-word phrase that is exactly that word, or -1.
    let singleWordPhrase: [Int32]
    /// Phrases of two or more words by their first two words, longest first: (first << 32 | second) →
    /// `pairPhrases[range]`.
    let pairRanges: PairTable
    let pairPhrases: [Int32]
    let markers: MarkerIndex
    /// Extension (`.swift`) → (skill, evidence).
    let extensions: [String: (skill: Int32, evidence: Int32)]
    /// Every string that can be shown as evidence: aliases, markers, extensions.
    let evidenceTexts: [String]
    let skillIDs: [String]
    /// Each skill's ancestors with their distance (1 = parent).
    let ancestors: [[Ancestor]]
    /// Each skill's parents.
    let parents: [[Int32]]

    init(_ taxonomy: SkillTaxonomy) {
        var words = TokenTable()
        var markerEntries: [(text: String, skill: Int32, evidence: Int32)] = []
        var evidenceTexts: [String] = []
        var extensions: [String: (skill: Int32, evidence: Int32)] = [:]
        var parents: [[Int32]] = []
        let ids = Dictionary(uniqueKeysWithValues: taxonomy.skills.enumerated().map { ($1.id, Int32($0)) })
        var grouped: [Int32: [(words: [Int32], phrase: Phrase)]] = [:]
        for (skillIndex, skill) in taxonomy.skills.enumerated() {
            let aliases = skill.aliases.map { ($0, false) } + skill.weakAliases.map { ($0, true) }
            let productNames = Self.productCategories.contains(skill.category)
                ? Set(skill.id.split(separator: "-").map(String.init) + skill.name.lowercased().split(separator: " ").map(String.init))
                : []
            for (alias, weak) in aliases {
                let aliasWords = alias.split(separator: " ").map { words.insert(String($0)) }
                guard let first = aliasWords.first else { continue }
                let phrase = Phrase(rest: 0, restCount: Int32(aliasWords.count - 1), skill: Int32(skillIndex),
                                    evidence: Int32(evidenceTexts.count), weak: weak,
                                    versioned: !weak || !productNames.contains(alias) ? 0
                                        : alias.utf8.count <= 2 ? Tokenizer.dottedVersion : Tokenizer.versionNumber)
                evidenceTexts.append(alias)
                grouped[first, default: []].append((aliasWords, phrase))
            }
            for marker in skill.markers {
                markerEntries.append((marker, Int32(skillIndex), Int32(evidenceTexts.count)))
                evidenceTexts.append(marker)
            }
            for ext in skill.extensions {
                extensions[ext] = (Int32(skillIndex), Int32(evidenceTexts.count))
                evidenceTexts.append(ext)
            }
            parents.append(skill.parents.compactMap { ids[$0] })
        }
        var singleWordPhrase = [Int32](repeating: -1, count: words.count)
        var phraseStarts: [Int32] = []
        var phrases: [Phrase] = []
        var restWords: [Int32] = []
        phraseStarts.reserveCapacity(words.count + 1)
        for word in 0..<Int32(words.count) {
            phraseStarts.append(Int32(phrases.count))
            let entries = (grouped[word] ?? []).sorted { $0.words.count > $1.words.count }
            for (aliasWords, var phrase) in entries {
                phrase.rest = Int32(restWords.count)
                restWords.append(contentsOf: aliasWords.dropFirst())
                if aliasWords.count == 1 { singleWordPhrase[Int(word)] = Int32(phrases.count) }
                phrases.append(phrase)
            }
        }
        phraseStarts.append(Int32(phrases.count))
        var byPair: [UInt64: [Int32]] = [:]
        for (position, phrase) in phrases.enumerated() where phrase.restCount > 0 {
            let first = Self.firstWord(of: position, starts: phraseStarts)
            let key = UInt64(UInt32(first)) << 32 | UInt64(UInt32(restWords[Int(phrase.rest)]))
            byPair[key, default: []].append(Int32(position))
        }
        var pairRanges: [UInt64: Range<Int32>] = [:]
        var pairPhrases: [Int32] = []
        for (key, list) in byPair {
            let sorted = list.sorted { phrases[Int($0)].restCount > phrases[Int($1)].restCount }
            pairRanges[key] = Int32(pairPhrases.count)..<Int32(pairPhrases.count + sorted.count)
            pairPhrases.append(contentsOf: sorted)
        }
        self.words = FrozenTokenTable(words)
        self.markers = MarkerIndex(markerEntries)
        self.evidenceTexts = evidenceTexts
        self.extensions = extensions
        self.skillIDs = taxonomy.skills.map(\.id)
        self.parents = parents
        self.ancestors = parents.indices.map { Self.ancestors(of: Int32($0), parents: parents) }
        self.singleWordPhrase = singleWordPhrase
        self.phraseStarts = phraseStarts
        self.phrases = phrases
        self.restWords = restWords
        self.pairRanges = PairTable(pairRanges)
        self.pairPhrases = pairPhrases
    }

    /// The first word of phrase `position` (phrases are grouped by first word).
    private static func firstWord(of position: Int, starts phraseStarts: [Int32]) -> Int32 {
        var low = 0
        var high = phraseStarts.count - 1
        while low < high {  // the last word w with phraseStarts[w] <= position
            let middle = (low + high + 1) / 2
            if Int(phraseStarts[middle]) <= position { low = middle } else { high = middle - 1 }
        }
        return Int32(low)
    }

    private static func ancestors(of skill: Int32, parents: [[Int32]]) -> [Ancestor] {
        var found: [Int32: Int32] = [:]
        var frontier = [skill]
        var depth: Int32 = 1
        while !frontier.isEmpty, depth <= 8 {
            var next: [Int32] = []
            for node in frontier {
                for parent in parents[Int(node)] where found[parent] == nil && parent != skill {
                    found[parent] = depth
                    next.append(parent)
                }
            }
            frontier = next
            depth += 1
        }
        return found.map { Ancestor(skill: $0.key, depth: $0.value) }.sorted { $0.skill < $1.skill }
    }
}
