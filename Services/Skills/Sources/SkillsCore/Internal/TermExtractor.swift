import TextKit

/// The terms LearnedSkills counts: lowercase unigrams (whole words plus the parts of compound identifiers
/// like `FileTxnSnapLog` or `np.linalg.eig`) and bigrams of consecutive whole words, stop words and bare
/// numbers removed. Terms are 64-bit hashes of the lowercased bytes; the text is built only when asked.
///
/// Works on the original bytes (the hash and the stop-word lookup fold case themselves) and drops repeated
/// terms through a small open-addressing set of hashes as they come, so nothing is sorted for a prediction.
struct TermExtractor {
    struct Term {
        var hash: UInt64
        var first: Range<Int>
        var second: Range<Int>?  // bigrams only
    }

    /// Bytes of title plus description looked at.
    static let maxBytes = 16 * 1024
    static let maxWordBytes = 40

    /// Title, a line break and description, as given (not lowercased).
    private(set) var bytes: [UInt8] = []
    /// With `ranges`, the distinct terms, sorted by hash.
    private(set) var terms: [Term] = []
    /// The distinct terms' hashes, in order of first occurrence.
    private(set) var hashes: [UInt64] = []
    private var words: [Tokenizer.Word] = []

    /// Extracts the distinct terms of a ticket into `hashes` and, with `ranges` (to learn them: their text
    /// is needed), into `terms` sorted by hash. Bigrams skip stop words (`fix the ledger` → `fix ledger`)
    /// but not the title's end.
    mutating func extract(title: String, description: String, ranges: Bool = true) {
        bytes = title.utf8Bytes(limit: Self.maxBytes)
        let titleEnd = bytes.count
        bytes.append(0x0A)
        bytes.append(contentsOf: description.utf8Bytes(limit: max(0, Self.maxBytes - bytes.count)))
        words.removeAll(keepingCapacity: true)
        bytes.withUnsafeBufferPointer { Tokenizer.words(in: $0, into: &words) }
        var seen = start(wordCount: words.count)
        defer { seen.deallocate() }
        let text = bytes
        let all = words
        text.withUnsafeBufferPointer { b in
            all.withUnsafeBufferPointer { words in
                // The line break between title and description separates words: each is in one field.
                let split = words.firstIndex { $0.start > titleEnd } ?? words.count
                addField(b, UnsafeBufferPointer(rebasing: words[..<split]), hashes: nil, &seen, ranges: ranges)
                addField(b, UnsafeBufferPointer(rebasing: words[split...]), hashes: nil, &seen, ranges: ranges)
            }
        }
        if ranges { terms.sort { $0.hash < $1.hash } }
    }

    /// Whether `extract(title:titleWords:description:descriptionWords:)` sees the same bytes as
    /// `extract(title:description:)`: when title, line break and description fit in `maxBytes`.
    static func fits(title: String, description: String) -> Bool {
        title.utf8.count + 1 + description.utf8.count <= maxBytes
    }

    /// Like `extract(title:description:ranges: false)` for a title and description that `fits`, from the
    /// words and word hashes the matcher found in them: no second tokenization.
    mutating func extract(title: String, titleWords: HashedWords, description: String, descriptionWords: HashedWords) {
        bytes = []
        var seen = start(wordCount: titleWords.words.count + descriptionWords.words.count)
        defer { seen.deallocate() }
        addField(title, titleWords, &seen)
        addField(description, descriptionWords, &seen)
    }

    private mutating func addField(_ text: String, _ found: HashedWords, _ seen: inout HashSet) {
        guard !found.words.isEmpty else { return }
        precondition(found.hashes.count == found.words.count, "one hash per word")
        var text = text
        text.withUTF8 { b in
            found.words.withUnsafeBufferPointer { words in
                found.hashes.withUnsafeBufferPointer { addField(b, words, hashes: $0, &seen, ranges: false) }
            }
        }
    }

    /// Clears the output; returns an empty set of seen hashes for this extraction (the caller frees it).
    private mutating func start(wordCount: Int) -> HashSet {
        terms.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        return HashSet(expected: wordCount)
    }

    /// Adds the terms of one field's words (bigrams do not cross fields). With `hashes`, each word's
    /// `TokenTable.hash` is taken from there.
    private mutating func addField(_ b: UnsafeBufferPointer<UInt8>, _ words: UnsafeBufferPointer<Tokenizer.Word>,
                                   hashes known: UnsafeBufferPointer<UInt64>?, _ seen: inout HashSet, ranges: Bool) {
        var previous: (range: Range<Int>, hash: UInt64)?
        let stopWords = StopWords.table
        for (index, word) in words.enumerated() {
            if word.isHost || word.count > Self.maxWordBytes {
                previous = nil
                continue
            }
            guard Self.plausible(b, word.start, word.end) else { continue }
            let hash = known?[index] ?? TokenTable.hash(b, word.start, word.end)
            guard !StopWords.contains(hash: hash, length: word.count, in: stopWords) else { continue }
            add(hash, word.start..<word.end, nil, &seen, ranges)
            if let before = previous {
                let pair = (before.hash &* 0x9E37_79B9_7F4A_7C15) ^ hash ^ 0x5BD1_E995
                add(pair, before.range, word.start..<word.end, &seen, ranges)
            }
            previous = (word.start..<word.end, hash)
            if word.isDotted {
                Tokenizer.forEachDotSegment(b, word) { s, e in addPart(b, s, e, stopWords, &seen, ranges) }
            } else if word.hasUpper {
                Tokenizer.forEachCamelPart(b, word.start, word.end) { s, e in addPart(b, s, e, stopWords, &seen, ranges) }
            }
        }
    }

    @inline(__always)
    private mutating func addPart(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ stopWords: FrozenTokenTable,
                                  _ seen: inout HashSet, _ ranges: Bool) {
        guard Self.plausible(b, start, end) else { return }
        let hash = TokenTable.hash(b, start, end)
        guard !StopWords.contains(hash: hash, length: end - start, in: stopWords) else { return }
        add(hash, start..<end, nil, &seen, ranges)
    }

    /// Records a term unless its hash was seen already (the first occurrence is kept).
    @inline(__always)
    private mutating func add(_ hash: UInt64, _ first: Range<Int>, _ second: Range<Int>?, _ seen: inout HashSet,
                              _ ranges: Bool) {
        guard seen.insert(hash) else { return }
        hashes.append(hash)
        if ranges { terms.append(Term(hash: hash, first: first, second: second)) }
    }

    /// The hashes seen during one extraction: open addressing over raw memory owned by that call (no
    /// reference counting or uniqueness checks per insert), grown when half full; 0 marks an empty slot
    /// (a zero hash is tracked apart).
    struct HashSet {
        private var slots: UnsafeMutableBufferPointer<UInt64>
        private var count = 0
        private var hasZero = false

        init(expected: Int) {
            var capacity = 64
            while capacity < expected * 2 { capacity *= 2 }
            slots = .allocate(capacity: capacity)
            slots.initialize(repeating: 0)
        }

        func deallocate() { slots.deallocate() }

        /// Adds `hash`; false when it was there already.
        @inline(__always)
        mutating func insert(_ hash: UInt64) -> Bool {
            if hash == 0 {
                defer { hasZero = true }
                return !hasZero
            }
            if (count + 1) * 2 > slots.count { grow() }
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash >> 40) & mask
            while true {
                let value = slots[slot]
                if value == hash { return false }
                if value == 0 {
                    slots[slot] = hash
                    count += 1
                    return true
                }
                slot = (slot + 1) & mask
            }
        }

        private mutating func grow() {
            let old = slots
            slots = .allocate(capacity: old.count * 2)
            slots.initialize(repeating: 0)
            let mask = slots.count - 1
            for hash in old where hash != 0 {
                var slot = Int(truncatingIfNeeded: hash >> 40) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = hash
            }
            old.deallocate()
        }
    }

    /// At least two bytes and not a bare number (stop words are checked by hash).
    @inline(__always)
    private static func plausible(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard end - start >= 2 else { return false }
        for i in start..<end where !(b[i] >= 0x30 && b[i] <= 0x39) && b[i] != 0x2E { return true }
        return false
    }

    /// The lowercase text of a term (`ledger`, `fix ledger`; `the ledger` is never one: `the` is a stop word).
    func text(of term: Term) -> String {
        let first = lowercased(term.first)
        guard let second = term.second else { return first }
        return first + " " + lowercased(second)
    }

    private func lowercased(_ range: Range<Int>) -> String {
        String(decoding: bytes[range].lazy.map(TokenTable.lower), as: UTF8.self)
    }
}
