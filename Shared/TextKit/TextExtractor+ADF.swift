import Foundation

/// Atlassian Document Format: a JSON tree of nodes (`doc`, `paragraph`, `text`, `codeBlock`, `heading`,
/// `bulletList`, `listItem`, `mention`, `inlineCard`, `hardBreak`, `mediaSingle`, ...).
extension TextExtractor {
    /// Text and evidence from ADF JSON, or nil when `utf8` is not an ADF document.
    func extractADF(_ utf8: [UInt8]) -> ExtractedText? {
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(utf8)) else {
            // Too deep for the parser, or cut at the size limit: take the text nodes' strings.
            guard Self.mentionsDocType(utf8) else { return nil }
            var result = Self.lenientText(utf8).withUnsafeBufferPointer { scanPlain($0, format: .adf, text: nil) }
            result.truncated = true
            return result
        }
        guard let root = parsed as? [String: Any], root["type"] as? String == "doc" || root["content"] is [Any] else {
            return nil
        }
        var walker = ADFWalker(maxDepth: maxDepth, maxBytes: maxBytes)
        walker.visit(root, depth: 0)
        var result = walker.out.withUnsafeBufferPointer { scanPlain($0, format: .adf, text: nil) }
        result.codeBlocks = walker.codeBlocks
        result.inlineCode = walker.inlineCode
        for url in walker.urls where result.urls.count < EvidenceCollector.limit && !result.urls.contains(url) {
            result.urls.append(url)
        }
        result.truncated = walker.truncated
        return result
    }

    private static func mentionsDocType(_ utf8: [UInt8]) -> Bool {
        let compact = Array("\"type\":\"doc\"".utf8)
        let spaced = Array("\"type\": \"doc\"".utf8)
        return contains(utf8, compact) || contains(utf8, spaced)
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    /// The decoded values of every `"text": "..."` member, one per line.
    static func lenientText(_ b: [UInt8]) -> [UInt8] {
        let key = Array("\"text\"".utf8)
        var out: [UInt8] = []
        var i = 0
        while i + key.count < b.count {
            guard b[i] == 0x22, b[i..<(i + key.count)].elementsEqual(key) else {
                i += 1
                continue
            }
            var j = i + key.count
            while j < b.count, b[j] == 0x20 || b[j] == 0x0A || b[j] == 0x0D || b[j] == 0x09 { j += 1 }
            guard j < b.count, b[j] == 0x3A else { i = j; continue }
            j += 1
            while j < b.count, b[j] == 0x20 || b[j] == 0x0A || b[j] == 0x0D || b[j] == 0x09 { j += 1 }
            guard j < b.count, b[j] == 0x22 else { i = j; continue }
            i = decodeString(b, from: j + 1, into: &out)
            out.append(0x0A)
        }
        return out
    }

    /// Decodes a JSON string body starting at `from` into `out`; returns the index after the closing quote.
    private static func decodeString(_ b: [UInt8], from: Int, into out: inout [UInt8]) -> Int {
        var i = from
        while i < b.count {
            let c = b[i]
            if c == 0x22 { return i + 1 }
            guard c == 0x5C, i + 1 < b.count else {
                out.append(c)
                i += 1
                continue
            }
            let e = b[i + 1]
            i += 2
            switch e {
            case 0x6E: out.append(0x0A)
            case 0x74: out.append(0x09)
            case 0x72, 0x62, 0x66: out.append(0x20)
            case 0x75:
                guard i + 4 <= b.count, let scalar = UInt32(String(decoding: b[i..<(i + 4)], as: UTF8.self), radix: 16)
                else { continue }
                i += 4
                let character = Unicode.Scalar(scalar) ?? " "
                out.append(contentsOf: Array(String(Character(character)).utf8))
            default: out.append(e)
            }
        }
        return i
    }
}

/// Walks parsed ADF, writing text and collecting code blocks, inline code and link URLs.
private struct ADFWalker {
    static let blocks: Set<String> = [
        "paragraph", "heading", "listItem", "blockquote", "panel", "tableCell", "tableHeader", "tableRow",
        "bulletList", "orderedList", "table", "decisionItem", "taskItem", "expand", "nestedExpand", "rule",
    ]

    let maxDepth: Int
    let maxBytes: Int
    var out: [UInt8] = []
    var codeBlocks: [ExtractedText.CodeBlock] = []
    var inlineCode: [String] = []
    var urls: [String] = []
    var truncated = false

    init(maxDepth: Int, maxBytes: Int) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
    }

    mutating func visit(_ node: [String: Any], depth: Int) {
        guard depth <= maxDepth else {
            truncated = true
            return
        }
        guard out.count < maxBytes else { return }
        let type = node["type"] as? String ?? ""
        let attrs = node["attrs"] as? [String: Any] ?? [:]
        switch type {
        case "text":
            text(node)
            return
        case "hardBreak":
            out.append(0x0A)
            return
        case "mention", "emoji", "date", "media", "mediaSingle", "mediaGroup", "mediaInline", "placeholder":
            return  // people, pictures and dates carry no skills
        case "inlineCard", "blockCard", "embedCard":
            if let url = attrs["url"] as? String {
                Self.add(url, to: &urls)
                write(" \(url) ")
            }
            return
        case "status":
            if let label = attrs["text"] as? String { write(" \(label) ") }
            return
        case "codeBlock":
            codeBlock(node, language: attrs["language"] as? String)
            return
        case "expand", "nestedExpand":
            if let title = attrs["title"] as? String { write(title + "\n") }
        default:
            break
        }
        if let content = node["content"] as? [Any] {
            for child in content {
                if let child = child as? [String: Any] { visit(child, depth: depth + 1) }
            }
        }
        if Self.blocks.contains(type) { out.append(0x0A) }
    }

    private mutating func text(_ node: [String: Any]) {
        guard let value = node["text"] as? String else { return }
        write(value)
        for mark in node["marks"] as? [Any] ?? [] {
            guard let mark = mark as? [String: Any] else { continue }
            switch mark["type"] as? String {
            case "code":
                var copy = value
                let trimmed = copy.withUTF8 { String.trimmed($0) }
                if !trimmed.isEmpty, trimmed.utf8.count <= EvidenceCollector.maxItemBytes { Self.add(trimmed, to: &inlineCode) }
            case "link":
                if let href = (mark["attrs"] as? [String: Any])?["href"] as? String { Self.add(href, to: &urls) }
            default:
                break
            }
        }
    }

    private mutating func codeBlock(_ node: [String: Any], language: String?) {
        var code = ""
        for child in node["content"] as? [Any] ?? [] {
            if let child = child as? [String: Any], let value = child["text"] as? String { code += value }
        }
        out.append(0x0A)
        write(code)
        out.append(0x0A)
        if codeBlocks.count < EvidenceCollector.limit {
            let prefix = String(decoding: Array(code.utf8.prefix(4096)), as: UTF8.self)
            codeBlocks.append(ExtractedText.CodeBlock(language: language?.lowercased(), code: prefix))
        }
    }

    private mutating func write(_ string: String) {
        out.append(contentsOf: string.utf8.prefix(max(0, maxBytes - out.count)))
    }

    private static func add(_ item: String, to list: inout [String]) {
        if list.count < EvidenceCollector.limit, !list.contains(item) { list.append(item) }
    }
}
