/// The terms LearnedSkills counts: lowercase unigrams (whole words plus the parts of compound identifiers
/// like `FileTxnSnapLog` or `np.linalg.eig`) and bigrams of consecutive whole words, stop words and bare
/// numbers removed. Terms are 64-bit hashes; the text is built only when asked.
struct TermExtractor {
    struct Term {
        var hash: UInt64
        var first: Range<Int>
        var second: Range<Int>?  // bigrams only
    }

    /// Bytes of title plus description looked at.
    static let maxBytes = 16 * 1024
    static let maxWordBytes = 40

    private(set) var bytes: [UInt8] = []
    private(set) var terms: [Term] = []
    private var words: [Tokenizer.Word] = []

    /// Extracts the distinct terms of a ticket into `terms` (sorted by hash). Bigrams skip stop words
    /// (`fix the ledger` → `fix ledger`) but not the title's end.
    mutating func extract(title: String, description: String) {
        terms.removeAll(keepingCapacity: true)
        var original = title.utf8Bytes(limit: Self.maxBytes)
        let titleEnd = original.count
        original.append(0x0A)
        original.append(contentsOf: description.utf8Bytes(limit: max(0, Self.maxBytes - original.count)))
        bytes = original
        for index in bytes.indices { bytes[index] = TokenTable.lower(bytes[index]) }
        words.removeAll(keepingCapacity: true)
        original.withUnsafeBufferPointer { Tokenizer.words(in: $0, into: &words) }
        var previous: (range: Range<Int>, hash: UInt64)?
        let lowered = bytes
        original.withUnsafeBufferPointer { raw in
            lowered.withUnsafeBufferPointer { b in
                for word in words {
                    if word.start > titleEnd, let before = previous, before.range.upperBound <= titleEnd { previous = nil }
                    if word.isHost || word.count > Self.maxWordBytes {
                        previous = nil
                        continue
                    }
                    guard keep(b, word.start, word.end) else { continue }
                    let hash = TokenTable.hash(b, word.start, word.end)
                    terms.append(Term(hash: hash, first: word.start..<word.end, second: nil))
                    if let before = previous {
                        let pair = (before.hash &* 0x9E37_79B9_7F4A_7C15) ^ hash ^ 0x5BD1_E995
                        terms.append(Term(hash: pair, first: before.range, second: word.start..<word.end))
                    }
                    previous = (word.start..<word.end, hash)
                    if word.isDotted {
                        Tokenizer.forEachDotSegment(b, word) { s, e in addPart(b, s, e) }
                    } else if word.hasUpper {
                        Tokenizer.forEachCamelPart(raw, word.start, word.end) { s, e in addPart(b, s, e) }
                    }
                }
            }
        }
        terms.sort { $0.hash < $1.hash }
        var unique = 0
        for index in terms.indices where unique == 0 || terms[index].hash != terms[unique - 1].hash {
            terms[unique] = terms[index]
            unique += 1
        }
        terms.removeSubrange(unique...)
    }

    private mutating func addPart(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        guard keep(b, start, end) else { return }
        terms.append(Term(hash: TokenTable.hash(b, start, end), first: start..<end, second: nil))
    }

    /// Not a stop word, not a bare number, at least two bytes.
    private func keep(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard end - start >= 2 else { return false }
        var digits = true
        for i in start..<end where !(b[i] >= 0x30 && b[i] <= 0x39) && b[i] != 0x2E {
            digits = false
            break
        }
        if digits { return false }
        return !StopWords.contains(b, start, end)
    }

    /// The text of a term (`ledger`, `the ledger` is never one: `the` is a stop word).
    func text(of term: Term) -> String {
        let first = String(decoding: bytes[term.first], as: UTF8.self)
        guard let second = term.second else { return first }
        return first + " " + String(decoding: bytes[second], as: UTF8.self)
    }
}
