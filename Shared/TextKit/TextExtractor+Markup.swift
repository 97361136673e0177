import Foundation

/// Jira wiki markup and Markdown: fences and `{code}`/`{noformat}` blocks, headings (`h2.`, `#`), quotes
/// (`bq.`, `>`, `{quote}`), other macros (`{panel}`, `{color}`) and inline code; then evidence per line.
extension TextExtractor {
    func scanMarkup(_ b: UnsafeBufferPointer<UInt8>) -> ExtractedText {
        var scanner = MarkupScanner(b)
        var start = 0
        while start < b.count {
            var end = Self.lineEnd(b, start)
            let next = end + 1
            if end > start, b[end - 1] == 0x0D { end -= 1 }
            scanner.line(start, end)
            start = next
        }
        scanner.closeCode()
        // Each line is written with its newline: a last line without one must not make the text longer than its input.
        while scanner.out.count > b.count, scanner.out.last == 0x0A { scanner.out.removeLast() }
        var result = scanner.out.withUnsafeBufferPointer {
            scanPlain($0, format: scanner.sawMarkup ? .markup : .plain, text: nil)
        }
        result.codeBlocks = scanner.codeBlocks
        result.inlineCode = scanner.inlineCode
        return result
    }

    /// Texts shorter than this are not checked for noise: chance matches in them are few.
    static let noiseCheckBytes = 2048

    /// Whether `text` reads as noise (random characters, binary, hex dumps) by the rule behind
    /// `ExtractedText.looksLikeNoise`: judged only for 2 KiB or more, by its letter pairs.
    public static func looksLikeNoise(_ text: String) -> Bool {
        guard text.utf8.count >= noiseCheckBytes else { return false }
        var copy = text
        return copy.withUTF8 { NoiseCheck.isNoise($0) }
    }

    /// The index of the next newline at or after `start`, or the end.
    @inline(__always)
    static func lineEnd(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        guard let base = b.baseAddress, start < b.count else { return b.count }
        guard let found = memchr(base + start, 0x0A, b.count - start) else { return b.count }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// Text as it is, with evidence collected line by line; `text` is `b` as a string when the caller has it.
    func scanPlain(_ b: UnsafeBufferPointer<UInt8>, format: ExtractedText.Format, text: String?) -> ExtractedText {
        var collector = EvidenceCollector(extensions: extensionTable)
        var start = 0
        while start < b.count {
            let end = Self.lineEnd(b, start)
            if end > start { collector.scanLine(b, start, end) }
            start = end + 1
        }
        var result = ExtractedText(text: text ?? String(decoding: b, as: UTF8.self), format: format)
        result.looksLikeNoise = b.count >= Self.noiseCheckBytes && NoiseCheck.isNoise(b)
        result.paths = collector.paths
        result.urls = collector.urls
        result.stackFrames = collector.stackFrames
        result.exceptions = collector.exceptions
        return result
    }
}
