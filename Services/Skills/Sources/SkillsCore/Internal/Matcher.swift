import TextKit

/// One detection's working state: the word stream of every field, then the hits it yields.
struct Matcher {
    struct Item {
        var word: Int32  // a word id, -1 for a word no alias uses, -2 between fields
        var weight: Float
        /// On the first item of a version: `Tokenizer.versionNumber` (`20`) or `.dottedVersion` (`3.5`).
        var version: UInt8 = 0
    }

    struct Hit {
        var skill: Int32
        var evidence: Int32
        var strength: Float
        var weak: Bool
    }

    static let hostSuffixes: Set<String> = [
        "com", "org", "net", "io", "dev", "ai", "app", "co", "edu", "gov", "info", "biz", "us", "uk", "de", "fr",
        "eu", "ch", "jp", "cn", "ru", "me", "cloud", "tech", "site", "xyz",
    ]

    let index: SkillIndex
    var items: [Item] = []
    var hits: [Hit] = []
    private var words: [Tokenizer.Word] = []

    init(index: SkillIndex, expectedBytes: Int) {
        self.index = index
        items.reserveCapacity(min(1 << 16, 16 + expectedBytes / 4))
        hits.reserveCapacity(min(1 << 14, 32 + expectedBytes / 16))
    }

    /// Adds the words of one field, followed by a field barrier.
    mutating func addText(_ text: String, weight: Float) {
        guard !text.isEmpty else { return }
        var text = text
        text.withUTF8 { b in
            words.removeAll(keepingCapacity: true)
            Tokenizer.words(in: b, into: &words)
            for word in words { push(word, b, weight) }
        }
        items.append(Item(word: -2, weight: 0))
    }

    /// Like `addText(_:weight:)`, keeping the field's words and their hashes in `kept` (for the learned
    /// terms of the same text).
    mutating func addText(_ text: String, weight: Float, keeping kept: inout HashedWords) {
        kept.words.removeAll(keepingCapacity: true)
        kept.hashes.removeAll(keepingCapacity: true)
        guard !text.isEmpty else { return }
        var text = text
        text.withUTF8 { b in
            Tokenizer.words(in: b, into: &kept.words)
            kept.hashes.reserveCapacity(kept.words.count)
            for word in kept.words { kept.hashes.append(push(word, b, weight)) }
        }
        items.append(Item(word: -2, weight: 0))
    }

    /// Pushes a word's item (or its parts' items); returns the word's hash.
    @discardableResult
    private mutating func push(_ word: Tokenizer.Word, _ b: UnsafeBufferPointer<UInt8>, _ weight: Float) -> UInt64 {
        let hash = TokenTable.hash(b, word.start, word.end)
        let id = index.words.lookup(hash: hash, length: word.count)
        let first = items.count
        defer { if items.count > first { items[first].version = Tokenizer.version(b, word.start, word.end) } }
        if id >= 0 || word.isHost {
            items.append(Item(word: id, weight: weight))
            return hash
        }
        if word.isDotted {
            pushDotted(word, b, weight)
        } else if !word.hasUpper || !pushCamel(word.start, word.end, b, weight * SkillDetector.FieldWeight.part) {
            items.append(Item(word: -1, weight: weight))
        }
        return hash
    }

    /// `np.random.shuffle`: the longest dotted prefix that is an alias (`np.random`), then the remaining
    /// segments as parts. Host names (`github.com`) stay whole and unknown.
    private mutating func pushDotted(_ word: Tokenizer.Word, _ b: UnsafeBufferPointer<UInt8>, _ weight: Float) {
        var lastDot = word.end - 1
        while lastDot > word.start, b[lastDot] != 0x2E { lastDot -= 1 }
        if lastDot > word.start, word.end - lastDot <= 6 {
            let suffix = String(decoding: UnsafeBufferPointer(rebasing: b[(lastDot + 1)..<word.end]), as: UTF8.self)
            if Self.hostSuffixes.contains(suffix.lowercased()) {
                items.append(Item(word: -1, weight: weight))
                return
            }
        }
        var partsStart = word.start
        // Only prefixes no longer than the longest alias can match (this also keeps a 64 KiB dotted run linear).
        var p = min(lastDot, word.start + SkillTaxonomy.maxAliasBytes)
        while p > word.start {
            if b[p] == 0x2E {
                let prefix = index.words.lookup(b, word.start, p)
                if prefix >= 0, index.singleWordPhrase[Int(prefix)] >= 0 {
                    items.append(Item(word: prefix, weight: weight))
                    partsStart = p + 1
                    break
                }
            }
            p -= 1
        }
        let partWeight = weight * SkillDetector.FieldWeight.part
        var rest = word
        rest.start = partsStart
        Tokenizer.forEachDotSegment(b, rest) { start, end in
            let id = index.words.lookup(b, start, end)
            if id >= 0 || !pushCamel(start, end, b, partWeight) {
                items.append(Item(word: id, weight: partWeight))
            }
        }
    }

    /// Adds a component (`numpy/random`): its words, plus each pair of path segments joined by a dot when
    /// that is an alias (`numpy.random`).
    mutating func addComponent(_ component: String, weight: Float) {
        addText(component, weight: weight)
        let segments = component.lowercased().split(separator: "/")
        guard segments.count >= 2 else { return }
        for pair in zip(segments, segments.dropFirst()) {
            var dotted = String(pair.0 + "." + pair.1)
            addSingleWord(&dotted, weight: weight)
        }
    }

    /// Pushes the camel-case parts of the range; false when it has none.
    private mutating func pushCamel(_ start: Int, _ end: Int, _ b: UnsafeBufferPointer<UInt8>, _ weight: Float) -> Bool {
        var any = false
        Tokenizer.forEachCamelPart(b, start, end) { s, e in
            any = true
            items.append(Item(word: index.words.lookup(b, s, e), weight: weight))
        }
        return any
    }

    /// Adds a hit for every marker in `text`.
    mutating func addMarkers(_ text: String, weight: Float) {
        guard !text.isEmpty else { return }
        var text = text
        let markers = index.markers
        var found: [Int32] = []
        text.withUTF8 { markers.scan($0, into: &found) }
        for index in found {
            let marker = markers.markers[Int(index)]
            hits.append(Hit(skill: marker.skill, evidence: marker.evidence, strength: weight, weak: false))
        }
    }

    /// Adds a hit for each path whose extension belongs to a skill (`.c.src` before `.src`). Bare names that
    /// are aliases themselves (`node.js`) are left to the words.
    mutating func addPaths(_ paths: [String], weight: Float) {
        for path in paths {
            var path = path
            path.withUTF8 { b in
                let candidates = TextExtractor.extensionCandidates(b)
                let extensions = index.extensions
                guard let owner = candidates.reversed().compactMap({ extensions[$0] }).first else { return }
                let hasSlash = b.contains(0x2F) || b.contains(0x5C)
                if !hasSlash, let named = aliasSkill(b), named == owner.skill
                    || index.ancestors[Int(named)].contains(where: { $0.skill == owner.skill }) {
                    return  // `node.js` names Node.js, not a JavaScript file
                }
                hits.append(Hit(skill: owner.skill, evidence: owner.evidence, strength: weight, weak: false))
            }
        }
    }

    /// The skill whose one-word alias is exactly these bytes.
    private func aliasSkill(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        let id = index.words.lookup(b, 0, b.count)
        guard id >= 0, index.singleWordPhrase[Int(id)] >= 0 else { return nil }
        return index.phrases[Int(index.singleWordPhrase[Int(id)])].skill
    }

    /// Adds a hit when a code block's language is a one-word alias (`java`, `sql`, `hcl`).
    mutating func addLanguage(_ language: String, weight: Float) {
        var language = language
        addSingleWord(&language, weight: weight)
    }

    /// Adds a hit when `word` as a whole is a one-word phrase of the taxonomy.
    private mutating func addSingleWord(_ word: inout String, weight: Float) {
        word.withUTF8 { b in
            let id = index.words.lookup(b, 0, b.count)
            guard id >= 0 else { return }
            let phrase = index.singleWordPhrase[Int(id)]
            guard phrase >= 0 else { return }
            let found = index.phrases[Int(phrase)]
            hits.append(Hit(skill: found.skill, evidence: found.evidence, strength: weight, weak: found.weak))
        }
    }

    /// Turns the word stream into hits: at each word the longest phrase starting there wins and its words
    /// are consumed. Phrases are found by their first two words, so a word costs one lookup at most.
    mutating func matchPhrases() {
        let count = items.count
        let index = self.index
        let stream = items
        stream.withUnsafeBufferPointer { items in
            index.restWords.withUnsafeBufferPointer { restWords in
                var i = 0
                while i < count {
                    let word = items[i].word
                    guard word >= 0 else {
                        i += 1
                        continue
                    }
                    var consumed = 1
                    if i + 1 < count, items[i + 1].word >= 0,
                       let range = index.pairRanges.lookup(word, items[i + 1].word) {
                        candidates: for p in range {
                            let phrase = index.phrases[Int(index.pairPhrases[Int(p)])]
                            let length = Int(phrase.restCount) + 1
                            guard i + length <= count else { continue }
                            var weight = max(items[i].weight, items[i + 1].weight)
                            for k in 1..<Int(phrase.restCount) {
                                let next = items[i + 1 + k]
                                if next.word != restWords[Int(phrase.rest) + k] { continue candidates }
                                weight = max(weight, next.weight)
                            }
                            hits.append(Hit(skill: phrase.skill, evidence: phrase.evidence, strength: weight, weak: phrase.weak))
                            consumed = length
                            break
                        }
                    }
                    if consumed == 1 {
                        let single = index.singleWordPhrase[Int(word)]
                        if single >= 0 {
                            let phrase = index.phrases[Int(single)]
                            // `Node 20`, `Spark 3.5`: a product's weak name with a version names the product.
                            let named = phrase.versioned > 0 && i + 1 < count && items[i + 1].version >= phrase.versioned
                            hits.append(Hit(skill: phrase.skill, evidence: phrase.evidence, strength: items[i].weight,
                                            weak: phrase.weak && !named))
                        }
                    }
                    i += consumed
                }
            }
        }
    }
}
