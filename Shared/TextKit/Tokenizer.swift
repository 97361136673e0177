/// Splits ticket text into the terms the scoring model indexes (docs/scoring-model.md, "Terms"):
///
/// - identifiers (`[A-Za-z_][A-Za-z0-9_]*`, ASCII), lowercased, plural `s` removed (Harman's S-stemmer),
///   at least two characters; hex ids with a digit (`3fa9c01`) and issue references (`ABC-123`, `#123`)
///   are dropped;
/// - the parts of code identifiers (`getDataTree` → `get`, `data`, `tree`; `max_session_timeout` →
///   `max`, `session`, `timeout`) besides the whole identifier;
/// - bigrams of consecutive identifiers within a field (`leader election`);
/// - file paths as one term each (`path:src/java/main/org/apache/zookeeper`).
///
/// Byte-based and allocation-light: terms are handed to a callback as byte slices.
public enum Tokenizer {
    /// One term of a field: a unigram, the bigram of the previous and this word, a part, or a path.
    public enum Term: Hashable, Sendable {
        case word(String)
        case bigram(String, String)
        case path(String)
    }

    /// The terms of one field (title or description), in order, with repeats.
    public static func terms(_ text: String) -> [Term] {
        var out: [Term] = []
        forEachTerm(text) { out.append($0) }
        return out
    }

    /// Plain strings for the terms (bigrams joined by a space, paths prefixed by `path:`); for tests and tools.
    public static func strings(_ text: String) -> [String] {
        terms(text).map {
            switch $0 {
            case .word(let word): return word
            case .bigram(let first, let second): return first + " " + second
            case .path(let path): return "path:" + path
            }
        }
    }

    /// Calls `body` with each term of `text`.
    public static func forEachTerm(_ text: String, _ body: (Term) -> Void) {
        var bytes = Array(text.utf8)
        dropIssueReferences(&bytes)
        forEachPath(bytes) { body(.path($0)) }
        var previous: String?
        var index = 0
        let count = bytes.count
        while index < count {
            guard isWordByte(bytes[index]) else { index += 1; continue }
            var end = index
            while end < count, isWordByte(bytes[end]) { end += 1 }
            // An identifier starts at the first letter or `_` of the run.
            var start = index
            while start < end, isDigit(bytes[start]) { start += 1 }
            index = end
            guard end - start >= 2 else { continue }
            var lower = [UInt8](repeating: 0, count: end - start)
            var plain = true   // only lowercase letters: the word has no parts
            for offset in 0..<(end - start) {
                let byte = bytes[start + offset]
                if !isLower(byte) { plain = false }
                lower[offset] = lowercased(byte)
            }
            if !plain, isHexID(lower) { continue }
            let whole = String(decoding: stemmed(lower), as: UTF8.self)
            body(.word(whole))
            if let previous { body(.bigram(previous, whole)) }
            previous = whole
            if plain { continue }
            var parts: [[UInt8]] = []
            forEachPart(Array(bytes[start..<end])) { part in
                if part.count >= 2, !part.allSatisfy(isDigit) { parts.append(part.map(lowercased)) }
            }
            if parts.count > 1 {
                for part in parts {
                    let stemmedPart = String(decoding: stemmed(part), as: UTF8.self)
                    if stemmedPart != whole { body(.word(stemmedPart)) }
                }
            }
        }
    }

    /// Harman's S-stemmer on lowercase bytes.
    static func stemmed(_ word: [UInt8]) -> ArraySlice<UInt8> {
        let n = word.count
        guard n > 3, word[n - 1] == 115 else { return word[...] }   // s
        let e = word[n - 2], before = word[n - 3]
        if n > 4, e == 101, before == 105 {   // ies
            let prior = word[n - 4]
            if prior != 101 && prior != 97 { return word[..<(n - 3)] + [121] }   // y
        }
        if e == 101 {   // es
            if before != 97 && before != 101 && before != 111 { return word[..<(n - 1)] }
            return word[...]
        }
        if e == 117 || e == 115 { return word[...] }   // us, ss
        return word[..<(n - 1)]
    }

    /// Harman's S-stemmer: plural to singular, nothing else (`queries` → `query`, `watches` → `watche`).
    public static func stem(_ word: String) -> String {
        String(decoding: stemmed(Array(word.utf8)), as: UTF8.self)
    }

    /// The parts of an identifier: split at `_`, then camel case (`HTTPServer` → `HTTP`, `Server`), and digit runs.
    static func forEachPart(_ word: [UInt8], _ body: ([UInt8]) -> Void) {
        var index = 0
        let count = word.count
        while index < count {
            let byte = word[index]
            if isUpper(byte) {
                var end = index
                while end < count, isUpper(word[end]) { end += 1 }
                if end < count, isLower(word[end]) {
                    if end - index > 1 { body(Array(word[index..<(end - 1)])) }
                    let start = end - 1
                    var tail = end
                    while tail < count, isLower(word[tail]) { tail += 1 }
                    body(Array(word[start..<tail]))
                    index = tail
                } else {
                    body(Array(word[index..<end]))
                    index = end
                }
            } else if isLower(byte) || isDigit(byte) {
                let digit = isDigit(byte)
                var end = index
                while end < count, digit ? isDigit(word[end]) : isLower(word[end]) { end += 1 }
                body(Array(word[index..<end]))
                index = end
            } else {
                index += 1
            }
        }
    }

    /// File paths: runs of `[A-Za-z0-9_.-]` segments joined by single `/`, trimmed of `.` and `-`, lowercased.
    static func forEachPath(_ bytes: [UInt8], _ body: (String) -> Void) {
        var index = 0
        let count = bytes.count
        func isSegmentByte(_ byte: UInt8) -> Bool { isWordByte(byte) || byte == 46 || byte == 45 }
        while index < count {
            guard isSegmentByte(bytes[index]) else { index += 1; continue }
            var end = index
            var slashes = 0
            while end < count {
                if isSegmentByte(bytes[end]) {
                    end += 1
                } else if bytes[end] == 47, end + 1 < count, isSegmentByte(bytes[end + 1]) {
                    slashes += 1
                    end += 1
                } else {
                    break
                }
            }
            if slashes > 0 {
                var lower = bytes[index..<end].map(lowercased)
                while let first = lower.first, first == 46 || first == 45 { lower.removeFirst() }
                while let last = lower.last, last == 46 || last == 45 { lower.removeLast() }
                if lower.count > 2, lower.contains(47) { body(String(decoding: lower, as: UTF8.self)) }
            }
            index = end + 1
        }
    }

    /// 7 to 40 lowercase hex digits with at least one digit: a commit or object id.
    static func isHexID(_ lower: [UInt8]) -> Bool {
        guard lower.count >= 7, lower.count <= 40 else { return false }
        var digit = false
        for byte in lower {
            if isDigit(byte) { digit = true } else if !(byte >= 97 && byte <= 102) { return false }
        }
        return digit
    }

    /// Blanks `ABC-123` and `#123`: ticket references say nothing about who should work on a ticket.
    static func dropIssueReferences(_ bytes: inout [UInt8]) {
        var index = 0
        while index < bytes.count {
            let start = index
            if bytes[index] == 35 {   // #
                var end = index + 1
                while end < bytes.count, isDigit(bytes[end]) { end += 1 }
                if end > index + 1 { for i in start..<end { bytes[i] = 32 } }
                index = max(end, index + 1)
                continue
            }
            if isUpper(bytes[index]), start == 0 || !isWordByte(bytes[start - 1]) {
                var end = index
                while end < bytes.count, isUpper(bytes[end]) || isDigit(bytes[end]) { end += 1 }
                if end - start >= 2, end < bytes.count - 1, bytes[end] == 45, isDigit(bytes[end + 1]) {
                    var digits = end + 1
                    while digits < bytes.count, isDigit(bytes[digits]) { digits += 1 }
                    if digits == bytes.count || !isWordByte(bytes[digits]) {
                        for i in start..<digits { bytes[i] = 32 }
                        index = digits
                        continue
                    }
                }
                index = max(end, index + 1)
                continue
            }
            index += 1
        }
    }

    /// Whether `byte` is ASCII `A`...`Z`.
    @inlinable @inline(__always) public static func isUpper(_ byte: UInt8) -> Bool { byte >= 65 && byte <= 90 }
    /// Whether `byte` is ASCII `a`...`z`.
    @inlinable @inline(__always) public static func isLower(_ byte: UInt8) -> Bool { byte >= 97 && byte <= 122 }
    /// Whether `byte` is ASCII `0`...`9`.
    @inlinable @inline(__always) public static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
    /// Whether `byte` can be part of an identifier: an ASCII letter, digit or `_`.
    @inlinable @inline(__always)
    public static func isWordByte(_ byte: UInt8) -> Bool { isUpper(byte) || isLower(byte) || isDigit(byte) || byte == 95 }
    @inline(__always) static func lowercased(_ byte: UInt8) -> UInt8 { isUpper(byte) ? byte + 32 : byte }
}
