/// Classifies the whitespace-delimited words of a line as URLs, paths, file names or exception names, and
/// spots stack-trace lines; keeps at most `limit` items per kind, each at most `maxItemBytes` long.
struct EvidenceCollector {
    static let limit = 32
    static let maxItemBytes = 256

    let extensions: FrozenTokenTable
    var paths: [String] = []
    var urls: [String] = []
    var stackFrames: [String] = []
    var exceptions: [String] = []

    init(extensions: FrozenTokenTable) {
        self.extensions = extensions
    }

    /// Looks at one line of output text.
    mutating func scanLine(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        checkStackFrame(b, start, end)
        Self.flagTable.withUnsafeBufferPointer { flags in
            var i = start
            while i < end {
                while i < end, flags[Int(b[i])] & Self.delimiter != 0 { i += 1 }
                let wordStart = i
                var seen: UInt8 = 0
                while i < end {
                    let f = flags[Int(b[i])]
                    if f & Self.delimiter != 0 { break }
                    seen |= f
                    i += 1
                }
                // Only words with `/`, `\`, `.` or `:`, or capitalised and ending like `Error`/`Exception`,
                // can be evidence.
                guard i > wordStart else { continue }
                if seen & Self.punctuation != 0
                    || (seen & Self.upper != 0 && i - wordStart >= 6 && (b[i - 1] == 0x72 || b[i - 1] == 0x6E)) {
                    classify(b, wordStart, i)
                }
            }
        }
    }

    private static let delimiter: UInt8 = 1
    private static let punctuation: UInt8 = 2
    private static let upper: UInt8 = 4
    /// Per byte: delimiter, path or URL punctuation (`/ \ . :`), uppercase letter.
    private static let flagTable: [UInt8] = (0...255).map { (value: Int) -> UInt8 in
        let c = UInt8(value)
        if isDelimiter(c) { return delimiter }
        if c == 0x2F || c == 0x5C || c == 0x2E || c == 0x3A { return punctuation }
        if c >= 0x41 && c <= 0x5A { return upper }
        return 0
    }

    /// Whitespace, control bytes, quotes, brackets, `|`, `,`, `;`, `=` and `*` end a word.
    @inline(__always)
    static func isDelimiter(_ c: UInt8) -> Bool {
        if c < 0x40 { return (0x78001785FFFFFFFF as UInt64) >> UInt64(c) & 1 != 0 }
        if c < 0x80 { return (0xB800000128000000 as UInt64) >> UInt64(c - 0x40) & 1 != 0 }
        return false
    }

    private mutating func classify(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ wordEnd: Int) {
        var end = wordEnd
        // Trailing punctuation and `:line[:column]` suffixes.
        while end > start {
            let c = b[end - 1]
            if c == 0x2E || c == 0x3A || c == 0x21 || c == 0x3F {
                end -= 1
                continue
            }
            if c >= 0x30 && c <= 0x39 {
                var j = end - 1
                while j > start, b[j] >= 0x30 && b[j] <= 0x39 { j -= 1 }
                if j > start, b[j] == 0x3A {
                    end = j
                    continue
                }
            }
            break
        }
        guard end - start >= 2 else { return }
        var slash = false
        var dot = false
        var scheme = false
        var i = start
        while i < end {
            switch b[i] {
            case 0x2F, 0x5C: slash = true
            case 0x2E: dot = true
            case 0x3A: if i + 2 < end, b[i + 1] == 0x2F, b[i + 2] == 0x2F, i > start { scheme = true }
            default: break
            }
            i += 1
        }
        if scheme {
            Self.append(b, start, end, to: &urls)
        } else if slash {
            if isPath(b, start, end) { Self.append(b, start, end, to: &paths) }
        } else if isException(b, start, end) {
            Self.append(b, start, end, to: &exceptions)
        } else if dot, let dotIndex = knownExtensionStart(b, start, end), dotIndex - start >= 2 {
            // A bare file name needs a stem of two or more bytes (`a.m.` is not Objective-C).
            Self.append(b, start, end, to: &paths)
        }
    }

    private func isPath(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var segments = 0
        var lettered = 0
        var inSegment = false
        var segmentHasLetter = false
        for i in start..<end {
            let c = b[i]
            if c == 0x2F || c == 0x5C {
                if inSegment {
                    segments += 1
                    if segmentHasLetter { lettered += 1 }
                }
                inSegment = false
                segmentHasLetter = false
            } else {
                inSegment = true
                if (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A { segmentHasLetter = true }
            }
        }
        if inSegment {
            segments += 1
            if segmentHasLetter { lettered += 1 }
        }
        guard lettered > 0 else { return false }
        let first = b[start]
        let rooted = first == 0x2F || first == 0x7E || (first == 0x2E && end - start > 2)
            || (end - start > 3 && b[start + 1] == 0x3A && b[start + 2] == 0x5C)
        if rooted { return true }
        if segments >= 3 { return true }
        return segments == 2 && hasKnownExtension(b, start, end)
    }

    /// Whether the last path segment ends with a known extension (`.swift`, `.c.src`).
    func hasKnownExtension(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        knownExtensionStart(b, start, end) != nil
    }

    /// The index of the dot starting a known extension of the last segment, the two-part one first.
    func knownExtensionStart(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        var last = -1
        var previous = -1
        var i = end - 1
        while i > start {
            let c = b[i]
            if c == 0x2F || c == 0x5C { break }
            if c == 0x2E {
                if last < 0 { last = i } else { previous = i; break }
            }
            i -= 1
        }
        if previous >= 0, end - previous <= 16, extensions.lookup(b, previous, end) >= 0 { return previous }
        if last >= 0, end - last <= 16, extensions.lookup(b, last, end) >= 0 { return last }
        return nil
    }

    /// The one- and two-part lowercased extensions of the last segment (`loops.c.src` → `.src`, `.c.src`).
    static func extensionCandidates(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> [String] {
        var segmentStart = start
        for i in start..<end where b[i] == 0x2F || b[i] == 0x5C { segmentStart = i + 1 }
        var dots: [Int] = []
        var i = end - 1
        while i > segmentStart, dots.count < 2 {
            if b[i] == 0x2E { dots.append(i) }
            i -= 1
        }
        return dots.compactMap { dot -> String? in
            guard end - dot <= 16 else { return nil }
            var bytes = [UInt8](UnsafeBufferPointer(rebasing: b[dot..<end]))
            for k in bytes.indices { bytes[k] = TokenTable.lower(bytes[k]) }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private func isException(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var last = start
        for i in start..<end {
            let c = b[i]
            let identifier = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x24
            if c == 0x2E {
                last = i + 1
            } else if !identifier {
                return false
            }
        }
        guard last < end, b[last] >= 0x41, b[last] <= 0x5A else { return false }
        let name = UnsafeBufferPointer(rebasing: b[last..<end])
        return Self.hasSuffix(name, "Exception") || Self.hasSuffix(name, "Error")
    }

    private static func hasSuffix(_ b: UnsafeBufferPointer<UInt8>, _ suffix: StaticString) -> Bool {
        let count = suffix.utf8CodeUnitCount
        guard b.count > count else { return false }
        let s = suffix.utf8Start
        for k in 0..<count where b[b.count - count + k] != s[k] { return false }
        return true
    }

    private mutating func checkStackFrame(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        var i = start
        while i < end, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        let rest = UnsafeBufferPointer(rebasing: b[i..<end])
        if Self.hasPrefix(rest, "at "), rest.contains(0x28), rest.contains(0x2E) {
            Self.append(b, i, end, to: &stackFrames)
        } else if Self.hasPrefix(rest, "File \""), rest.count > 6, Self.contains(rest, "\", line ") {
            Self.append(b, i, end, to: &stackFrames)
        } else if Self.hasPrefix(rest, "Traceback (most recent call last)") {
            Self.append(b, i, end, to: &stackFrames)
        }
    }

    private static func hasPrefix(_ b: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard b.count >= count else { return false }
        let p = prefix.utf8Start
        for k in 0..<count where b[k] != p[k] { return false }
        return true
    }

    private static func contains(_ b: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
        let count = needle.utf8CodeUnitCount
        guard b.count >= count else { return false }
        let p = needle.utf8Start
        outer: for i in 0...(b.count - count) {
            for k in 0..<count where b[i + k] != p[k] { continue outer }
            return true
        }
        return false
    }

    private static func append(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, to list: inout [String]) {
        guard list.count < limit else { return }
        var to = min(end, start + maxItemBytes)
        while to > start, to < end, b[to] & 0xC0 == 0x80 { to -= 1 }  // whole UTF-8 sequences only
        var stop = to
        while stop > start, b[stop - 1] == 0x20 || b[stop - 1] == 0x09 || b[stop - 1] == 0x0D { stop -= 1 }
        let item = String(decoding: UnsafeBufferPointer(rebasing: b[start..<stop]), as: UTF8.self)
        if !item.isEmpty, !list.contains(item) { list.append(item) }
    }
}
