import Foundation

/// Turns a ticket description into plain text and evidence.
///
/// Accepts Atlassian Document Format (as a JSON string), Jira wiki markup, Markdown or plain text. Code
/// blocks, stack traces, file paths, URLs and exception names are kept as evidence. Input past `maxBytes`
/// is cut (at a UTF-8 boundary) and ADF nested deeper than `maxDepth` is skipped; any input, including
/// binary noise, yields a result and never traps.
public struct TextExtractor: Sendable {
    /// The default input limit: 64 KiB.
    public static let defaultMaxBytes = 64 * 1024
    /// The default ADF nesting limit.
    public static let defaultMaxDepth = 64
    /// Extensions recognised without a taxonomy.
    public static let commonExtensions: Set<String> = [
        ".c", ".h", ".cc", ".cpp", ".hpp", ".cs", ".go", ".java", ".js", ".jsx", ".ts", ".tsx", ".kt", ".py",
        ".pyx", ".rb", ".rs", ".swift", ".m", ".mm", ".php", ".scala", ".sh", ".sql", ".json", ".yaml", ".yml",
        ".xml", ".html", ".css", ".scss", ".md", ".rst", ".txt", ".cfg", ".toml", ".gradle", ".proto", ".c.src",
    ]

    /// Bytes of input looked at; the rest is dropped and `truncated` set.
    public var maxBytes: Int
    /// ADF nodes nested deeper than this are skipped.
    public var maxDepth: Int
    /// Lowercase extensions with the dot that make a bare word a file name (`Bar.java`).
    public let extensions: Set<String>
    let extensionTable: FrozenTokenTable

    public init(extensions: Set<String> = TextExtractor.commonExtensions, maxBytes: Int = TextExtractor.defaultMaxBytes,
                maxDepth: Int = TextExtractor.defaultMaxDepth) {
        self.extensions = extensions
        var table = TokenTable()
        for ext in extensions { table.insert(ext) }
        extensionTable = FrozenTokenTable(table)
        self.maxBytes = max(0, maxBytes)
        self.maxDepth = max(1, maxDepth)
    }

    /// Extracts text and evidence from a description in any supported format.
    public func extract(_ description: String) -> ExtractedText {
        var source = description
        return source.withUTF8 { all in
            var b = all
            let truncated = all.count > maxBytes
            if truncated {
                var cut = maxBytes
                while cut > 0, all[cut] & 0xC0 == 0x80 { cut -= 1 }
                b = UnsafeBufferPointer(rebasing: all[..<cut])
            }
            var result: ExtractedText
            if looksLikeADF(b), let adf = extractADF(Array(b)) {
                result = adf
            } else if Self.mayHaveMarkup(b) {
                result = scanMarkup(b)
            } else {
                result = scanPlain(b, format: .plain, text: truncated ? nil : description)
            }
            result.truncated = result.truncated || truncated
            return result
        }
    }

    /// Extracts evidence from a title or other plain text, without markup handling.
    public func extractPlain(_ text: String) -> ExtractedText {
        var source = text
        return source.withUTF8 { all in
            guard all.count > maxBytes else { return scanPlain(all, format: .plain, text: text) }
            var cut = maxBytes
            while cut > 0, all[cut] & 0xC0 == 0x80 { cut -= 1 }
            var result = scanPlain(UnsafeBufferPointer(rebasing: all[..<cut]), format: .plain, text: nil)
            result.truncated = true
            return result
        }
    }

    /// The file paths in a title or other plain text (no text copy, no other evidence kept).
    public func paths(in text: String) -> [String] {
        var source = text
        return source.withUTF8 { all in
            var collector = EvidenceCollector(extensions: extensionTable)
            collector.scanLine(UnsafeBufferPointer(rebasing: all.prefix(maxBytes)), 0, min(all.count, maxBytes))
            return collector.paths
        }
    }

    /// The one- and two-part lowercased extensions of a path's last segment, the one-part one first
    /// (`numpy/core/loops.c.src` → `.src`, `.c.src`); each at most 16 bytes. Whether they are known is not
    /// checked: a caller looks them up in its own table (the skill detector, in the skills' extensions).
    public static func extensionCandidates(_ path: UnsafeBufferPointer<UInt8>) -> [String] {
        EvidenceCollector.extensionCandidates(path, 0, path.count)
    }

    /// Whether the text may hold markup: a `{`, backtick or `~` anywhere, or a line starting with a
    /// heading (`h2. `, `# `), quote (`bq. `, `> `) prefix. False means plain text, taken as it is.
    static func mayHaveMarkup(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = b.baseAddress, !b.isEmpty else { return false }
        for needle in [0x7B, 0x60, 0x7E] as [Int32] where memchr(base, needle, b.count) != nil { return true }
        var start = 0
        while start < b.count {
            var i = start
            while i < b.count, b[i] == 0x20 { i += 1 }
            if i < b.count {
                let c = b[i]
                if c == 0x23 || c == 0x3E { return true }
                if i + 3 < b.count, b[i + 2] == 0x2E, b[i + 3] == 0x20,
                   (c == 0x68 && b[i + 1] >= 0x31 && b[i + 1] <= 0x36) || (c == 0x62 && b[i + 1] == 0x71) {
                    return true
                }
            }
            start = lineEnd(b, start) + 1
        }
        return false
    }

    private func looksLikeADF(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
              utf8[first] == 0x7B else { return false }
        let needle = Array("\"type\"".utf8)
        let head = utf8.prefix(4096)
        guard head.count >= needle.count else { return false }
        for start in head.startIndex...(head.endIndex - needle.count) where head[start] == 0x22 {
            if head[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
