import TextKit

/// Splits UTF-8 bytes into words without allocating strings.
///
/// A word is a run of ASCII letters and digits and non-ASCII letters; a `.` between word bytes joins
/// (`np.linalg`, `loops.c.src`), as does a leading `.` after a separator (`.net`); trailing `+` joins when
/// a separator or digit follows (`c++`, `c++17`, `n+1`) and a trailing `#` when a separator follows (`c#`).
/// Everything else (`-`, `_`, `/`, punctuation, control and binary bytes) separates. A URL
/// (`scheme://host/...`) yields only its host, as one word flagged `isHost`.
enum Tokenizer {
    struct Word {
        private var lower: Int32
        private var upper: Int32
        var flags: UInt8

        init(start: Int, end: Int, flags: UInt8) {
            lower = Int32(truncatingIfNeeded: start)
            upper = Int32(truncatingIfNeeded: end)
            self.flags = flags
        }

        /// Byte offsets (inputs are at most 64 KiB after extraction, far below `Int32.max`).
        var start: Int {
            get { Int(lower) }
            set { lower = Int32(truncatingIfNeeded: newValue) }
        }
        var end: Int {
            get { Int(upper) }
            set { upper = Int32(truncatingIfNeeded: newValue) }
        }

        static let dotted: UInt8 = 1
        static let upper: UInt8 = 2
        static let host: UInt8 = 4

        var isDotted: Bool { flags & Word.dotted != 0 }
        var hasUpper: Bool { flags & Word.upper != 0 }
        var isHost: Bool { flags & Word.host != 0 }
        var count: Int { end - start }
    }

    /// `byteClass` of every byte, for table lookups in the hot loop.
    static let classTable: [UInt8] = (0...255).map { byteClass(UInt8($0)) }

    /// The class of a byte: 0 separator, 1 lowercase or digit, 2 uppercase, 3 non-ASCII.
    @inline(__always)
    static func byteClass(_ c: UInt8) -> UInt8 {
        if c >= 0x80 { return 3 }
        if c &- 0x61 < 26 || c &- 0x30 < 10 { return 1 }
        if c &- 0x41 < 26 { return 2 }
        return 0
    }

    /// The length of a non-ASCII separator at `i` (general punctuation, no-break space, ×, ÷, U+FFFD), or 0.
    @inline(__always)
    static func nonASCIISeparatorLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let c = b[i]
        let n = b.count
        if c == 0xE2, i + 2 < n, b[i + 1] == 0x80 || b[i + 1] == 0x81 { return 3 }
        if c == 0xC2, i + 1 < n, b[i + 1] >= 0xA0 { return 2 }
        if c == 0xC3, i + 1 < n, b[i + 1] == 0x97 || b[i + 1] == 0xB7 { return 2 }
        if c == 0xEF, i + 2 < n, b[i + 1] == 0xBF, b[i + 2] == 0xBD { return 3 }
        if c < 0xC0 { return 1 }  // a stray continuation byte
        return 0
    }

    @inline(__always)
    static func isWordByte(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let k = byteClass(b[i])
        if k == 0 { return false }
        if k == 3 { return nonASCIISeparatorLength(b, i) == 0 }
        return true
    }

    /// Appends the words of `b` to `words`.
    static func words(in b: UnsafeBufferPointer<UInt8>, into words: inout [Word]) {
        classTable.withUnsafeBufferPointer { scan(b, classes: $0, into: &words) }
    }

    private static func scan(_ b: UnsafeBufferPointer<UInt8>, classes: UnsafeBufferPointer<UInt8>, into words: inout [Word]) {
        let n = b.count
        var i = 0
        while i < n {
            let k = classes[Int(b[i])]
            var flags: UInt8 = 0
            if k == 0 {
                // A leading dot starts a word (`.net`) only after a separator.
                guard b[i] == 0x2E, i + 1 < n, isWordByte(b, i + 1), i == 0 || !isWordByte(b, i - 1) else {
                    i += 1
                    continue
                }
                flags |= Word.dotted
            } else if k == 3 {
                let skip = nonASCIISeparatorLength(b, i)
                if skip > 0 {
                    i += skip
                    continue
                }
            }
            let start = i
            i += 1
            var isURL = false
            scan: while true {
                while i < n {
                    let c = classes[Int(b[i])]
                    if c == 1 { i += 1; continue }
                    if c == 2 { flags |= Word.upper; i += 1; continue }
                    if c == 3, nonASCIISeparatorLength(b, i) == 0 { i += 1; continue }
                    break
                }
                guard i < n else { break }
                switch b[i] {
                case 0x2E:  // `.` between word bytes
                    if i + 1 < n, isWordByte(b, i + 1) {
                        flags |= Word.dotted
                        i += 1
                        continue scan
                    }
                case 0x2B:  // trailing `+`s
                    var j = i
                    while j < n, b[j] == 0x2B { j += 1 }
                    if j == n || !isWordByte(b, j) {
                        i = j
                    } else if b[j] >= 0x30, b[j] <= 0x39 {
                        i = j
                        continue scan
                    }
                case 0x23:  // trailing `#`
                    if i + 1 == n || !isWordByte(b, i + 1) { i += 1 }
                case 0x3A:  // `:` of `scheme://`
                    if i + 2 < n, b[i + 1] == 0x2F, b[i + 2] == 0x2F, flags & Word.dotted == 0, i - start <= 10 {
                        isURL = true
                    }
                default:
                    break
                }
                break
            }
            if isURL {
                i = url(b, hostStart: i + 3, into: &words)
            } else {
                words.append(Word(start: start, end: i, flags: flags))
            }
        }
    }

    /// Emits the host of a URL whose host starts at `hostStart`; returns the index after the URL.
    private static func url(_ b: UnsafeBufferPointer<UInt8>, hostStart: Int, into words: inout [Word]) -> Int {
        let n = b.count
        var i = hostStart
        var flags = Word.host
        while i < n {
            let c = b[i]
            if c == 0x2E { flags |= Word.dotted; i += 1; continue }
            if c == 0x2D { i += 1; continue }  // hosts keep their hyphens
            let k = byteClass(c)
            if k == 1 { i += 1; continue }
            if k == 2 { flags |= Word.upper; i += 1; continue }
            break
        }
        var end = i
        while end > hostStart, b[end - 1] == 0x2E || b[end - 1] == 0x2D { end -= 1 }
        if end > hostStart { words.append(Word(start: hostStart, end: end, flags: flags)) }
        // Skip the rest of the URL: up to whitespace, a quote, a bracket or a pipe.
        while i < n {
            switch b[i] {
            case 0x20, 0x09, 0x0A, 0x0D, 0x22, 0x27, 0x60, 0x3C, 0x3E, 0x29, 0x5D, 0x7C, 0x7D: return i
            default: i += 1
            }
        }
        return i
    }

    /// How `b[start..<end]` reads as a version (digits and dots, at most 8 bytes, a major number below 100,
    /// optionally after a `v`): `versionNumber` (`20`, `v7`), `dottedVersion` (`3.5`, `v1.22`), or 0 for
    /// anything else (words, years, issue numbers: `2024`, `1234`).
    @inline(__always)
    static func version(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt8 {
        var i = start
        if i < end, b[i] | 0x20 == 0x76 { i += 1 }  // v or V
        guard i < end, end - i <= 8, b[i] &- 0x30 < 10 else { return 0 }
        var major = 0
        while i < end, b[i] &- 0x30 < 10 {
            major = major * 10 + Int(b[i] &- 0x30)
            i += 1
        }
        guard major < 100 else { return 0 }
        let dotted = i < end
        while i < end {
            guard b[i] &- 0x30 < 10 || (b[i] == 0x2E && i + 1 < end && b[i + 1] &- 0x30 < 10) else { return 0 }
            i += 1
        }
        return dotted ? dottedVersion : versionNumber
    }

    static let versionNumber: UInt8 = 1
    static let dottedVersion: UInt8 = 2

    /// Calls `body` with each `.`-separated segment of `word` as a byte range.
    @inline(__always)
    static func forEachDotSegment(_ b: UnsafeBufferPointer<UInt8>, _ word: Word, _ body: (Int, Int) -> Void) {
        var s = word.start
        if b[s] == 0x2E { s += 1 }
        var i = s
        while i < word.end {
            if b[i] == 0x2E {
                if i > s { body(s, i) }
                s = i + 1
            }
            i += 1
        }
        if word.end > s { body(s, word.end) }
    }

    /// Calls `body` with each camel-case part of the range (`QuorumSSLTest` → Quorum, SSL, Test) when
    /// there are at least two.
    @inline(__always)
    static func forEachCamelPart(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ body: (Int, Int) -> Void) {
        guard end - start >= 4 else { return }
        var s = start
        var i = start + 1
        while i < end {
            let p = b[i - 1]
            let c = b[i]
            if c >= 0x41, c <= 0x5A {
                let previousLower = (p >= 0x61 && p <= 0x7A) || (p >= 0x30 && p <= 0x39)
                let acronymEnd = p >= 0x41 && p <= 0x5A && i + 1 < end && b[i + 1] >= 0x61 && b[i + 1] <= 0x7A
                if previousLower || acronymEnd {
                    body(s, i)
                    s = i
                }
            }
            i += 1
        }
        if s > start { body(s, end) }
    }
}

extension Tokenizer {
    /// The lowercase words of `text` as strings: the normal form of aliases (`Node.JS` → `node.js`,
    /// `hyper-v` → `hyper v`).
    static func normalizedWords(_ text: String) -> [String] {
        var utf8 = text.utf8Bytes()
        for index in utf8.indices { utf8[index] = TokenTable.lower(utf8[index]) }
        var found: [Word] = []
        utf8.withUnsafeBufferPointer { words(in: $0, into: &found) }
        return found.map { String(decoding: utf8[$0.start..<$0.end], as: UTF8.self) }
    }
}
