/// The line-by-line state of `scanMarkup`.
struct MarkupScanner {
    enum Code { case none, fence, wiki }

    static let maxCodeBytes = 4096
    static let macros: Set<String> = [
        "code", "noformat", "quote", "panel", "color", "info", "note", "tip", "warning", "expand", "anchor", "toc",
    ]

    let b: UnsafeBufferPointer<UInt8>
    var out: [UInt8] = []
    var code = Code.none
    var language: String?
    var codeBytes: [UInt8] = []
    var codeBlocks: [ExtractedText.CodeBlock] = []
    var inlineCode: [String] = []
    var sawMarkup = false

    init(_ b: UnsafeBufferPointer<UInt8>) {
        self.b = b
        out.reserveCapacity(b.count + 16)
    }

    /// Handles one line (without its newline); loops rather than recursing when `{code}` opens and closes
    /// on the same line, so a line full of macros cannot exhaust the stack.
    mutating func line(_ start: Int, _ end: Int) {
        var s = start
        while true {
            switch code {
            case .fence:
                if fence(at: indent(s, end), end) != nil {
                    closeCode()
                } else {
                    appendCode(s, end)
                }
                out.append(0x0A)
                return
            case .wiki:
                guard let (open, close) = macro(in: s, end, names: ["code", "noformat"]) else {
                    appendCode(s, end)
                    out.append(0x0A)
                    return
                }
                appendCode(s, open)
                closeCode()
                s = close
            case .none:
                var i = s
                if s == start {
                    i = indent(s, end)
                    if let afterFence = fence(at: i, end) {
                        sawMarkup = true
                        language = word(afterFence, end)
                        code = .fence
                        out.append(0x0A)
                        return
                    }
                    i = skipBlockPrefix(i, end)
                }
                guard let after = inline(i, end) else { return }
                s = after
            }
        }
    }

    /// Closes an open code block, keeping what it held.
    mutating func closeCode() {
        guard code != .none else { return }
        if codeBlocks.count < EvidenceCollector.limit {
            codeBlocks.append(ExtractedText.CodeBlock(language: language, code: String(decoding: codeBytes, as: UTF8.self)))
        }
        code = .none
        language = nil
        codeBytes.removeAll(keepingCapacity: true)
    }

    private mutating func appendCode(_ start: Int, _ end: Int) {
        guard end > start else { return }
        let slice = UnsafeBufferPointer(rebasing: b[start..<end])
        out.append(contentsOf: slice)
        if codeBytes.count < Self.maxCodeBytes {
            if !codeBytes.isEmpty { codeBytes.append(0x0A) }
            codeBytes.append(contentsOf: slice.prefix(Self.maxCodeBytes - codeBytes.count))
        }
    }

    private func indent(_ start: Int, _ end: Int) -> Int {
        var i = start
        while i < end, i - start < 3, b[i] == 0x20 { i += 1 }
        return i
    }

    /// The index after ```` ``` ```` or `~~~` at `i`, or nil.
    private func fence(at i: Int, _ end: Int) -> Int? {
        guard i + 3 <= end else { return nil }
        let c = b[i]
        guard c == 0x60 || c == 0x7E, b[i + 1] == c, b[i + 2] == c else { return nil }
        var j = i + 3
        while j < end, b[j] == c { j += 1 }
        return j
    }

    /// The lowercased first word at `i` (a fence or macro language), or nil.
    private func word(_ i: Int, _ end: Int) -> String? {
        var s = i
        while s < end, b[s] == 0x20 { s += 1 }
        var e = s
        while e < end, e - s < 32 {
            let c = b[e]
            let ok = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A || (c >= 0x30 && c <= 0x39) || c == 0x2B || c == 0x23
                || c == 0x2D || c == 0x2E || c == 0x5F
            if !ok { break }
            e += 1
        }
        guard e > s else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self).lowercased()
    }

    private mutating func skipBlockPrefix(_ i: Int, _ end: Int) -> Int {
        let n = end - i
        if n >= 4, b[i] == 0x68, b[i + 1] >= 0x31, b[i + 1] <= 0x36, b[i + 2] == 0x2E, b[i + 3] == 0x20 {
            sawMarkup = true
            return i + 4  // h1. … h6.
        }
        if n >= 4, b[i] == 0x62, b[i + 1] == 0x71, b[i + 2] == 0x2E, b[i + 3] == 0x20 {
            sawMarkup = true
            return i + 4  // bq.
        }
        if n >= 2, b[i] == 0x23 {
            var j = i
            while j < end, j - i < 6, b[j] == 0x23 { j += 1 }
            if j < end, b[j] == 0x20 {
                sawMarkup = true
                return j + 1  // # … ######
            }
        }
        if n >= 2, b[i] == 0x3E, b[i + 1] == 0x20 { return i + 2 }
        return i
    }

    /// Finds a `{name}` or `{name:params}` macro among `names` in the range: (its start, the index after it).
    private func macro(in start: Int, _ end: Int, names: Set<String>) -> (Int, Int)? {
        var i = start
        while i < end {
            if b[i] == 0x7B, let (name, _, after) = macro(at: i, end), names.contains(name) { return (i, after) }
            i += 1
        }
        return nil
    }

    /// The macro at `i` (a `{`): its name, parameters and the index after the `}`.
    private func macro(at i: Int, _ end: Int) -> (String, String?, Int)? {
        var j = i + 1
        while j < end, j - i <= 10, b[j] >= 0x61, b[j] <= 0x7A { j += 1 }
        guard j > i + 1, j < end else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: b[(i + 1)..<j]), as: UTF8.self)
        guard Self.macros.contains(name) else { return nil }
        if b[j] == 0x7D { return (name, nil, j + 1) }
        guard b[j] == 0x3A else { return nil }
        var k = j + 1
        while k < end, k - j < 256, b[k] != 0x7D { k += 1 }
        guard k < end, b[k] == 0x7D else { return nil }
        let params = String(decoding: UnsafeBufferPointer(rebasing: b[(j + 1)..<k]), as: UTF8.self)
        return (name, params, k + 1)
    }

    /// Copies inline text, dropping macros and keeping inline code; returns the index after a `{code}` or
    /// `{noformat}` that opens a block, or nil when the line is done.
    private mutating func inline(_ start: Int, _ end: Int) -> Int? {
        var i = start
        while i < end {
            let c = b[i]
            if c == 0x7B, let (name, params, after) = macro(at: i, end) {
                sawMarkup = true
                if name == "code" || name == "noformat" {
                    code = .wiki
                    language = name == "code" ? Self.codeLanguage(params) : nil
                    return after
                }
                out.append(0x20)
                i = after
                continue
            }
            if c == 0x60 {
                i = inlineCodeSpan(i, end)
                continue
            }
            // Copy the run of ordinary bytes up to the next `{` or backtick in one go.
            var j = i + 1
            while j < end, b[j] != 0x7B, b[j] != 0x60 { j += 1 }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<j]))
            i = j
        }
        out.append(0x0A)
        return nil
    }

    /// Handles a backtick run at `i`: a code span closed by an equal run within 512 bytes, or the run
    /// copied as it is. Returns the index after what it consumed.
    private mutating func inlineCodeSpan(_ i: Int, _ end: Int) -> Int {
        var run = 0
        while i + run < end, b[i + run] == 0x60 { run += 1 }
        let limit = min(end, i + run + 512)
        var j = i + run
        while j < limit {
            guard b[j] == 0x60 else {
                j += 1
                continue
            }
            var closing = 0
            while j + closing < end, b[j + closing] == 0x60 { closing += 1 }
            if closing == run {
                sawMarkup = true
                let content = UnsafeBufferPointer(rebasing: b[(i + run)..<j])
                out.append(contentsOf: content)
                let trimmed = String.trimmed(content)
                if !trimmed.isEmpty, trimmed.utf8.count <= EvidenceCollector.maxItemBytes,
                   inlineCode.count < EvidenceCollector.limit, !inlineCode.contains(trimmed) {
                    inlineCode.append(trimmed)
                }
                return j + closing
            }
            j += closing
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<(i + run)]))
        return i + run
    }

    /// `java` from `{code:java}`, `{code:language=java|title=x}` or `{code:title=x|language=java}`.
    private static func codeLanguage(_ params: String?) -> String? {
        guard let params, !params.isEmpty else { return nil }
        for part in params.split(separator: "|") {
            if let eq = part.firstIndex(of: "=") {
                if part[..<eq].lowercased() == "language" { return String(part[part.index(after: eq)...]).lowercased() }
            } else {
                return String(part).lowercased()
            }
        }
        return nil
    }
}
