/// A description turned into plain text, with the technical evidence found in it.
public struct ExtractedText: Sendable, Equatable {
    /// What the input was.
    public enum Format: String, Sendable, Equatable {
        /// Plain text without markup.
        case plain
        /// Jira wiki markup or Markdown (fences, `{code}`, headings, inline code).
        case markup
        /// Atlassian Document Format JSON.
        case adf
    }

    /// A fenced or `{code}` block, or an ADF `codeBlock`.
    public struct CodeBlock: Sendable, Equatable {
        /// The declared language, lowercased (`java` from `{code:java}`, `sql` from ```` ```sql ````).
        public var language: String?
        public var code: String

        public init(language: String?, code: String) {
            self.language = language
            self.code = code
        }
    }

    /// The readable text: markup removed, code kept, one block per line.
    public var text: String
    public var format: Format
    public var codeBlocks: [CodeBlock] = []
    /// Inline code spans (`` `np.add` ``, ADF `code` marks).
    public var inlineCode: [String] = []
    /// File paths and file names with a known extension (`src/foo/bar.swift`, `Bar.java`).
    public var paths: [String] = []
    /// Whole URLs (`https://github.com/...`).
    public var urls: [String] = []
    /// Stack trace lines (`at org.foo.Bar.baz(Bar.java:12)`, `File "x.py", line 3`, `Traceback (...)`).
    public var stackFrames: [String] = []
    /// Exception and error class names (`java.lang.NullPointerException`, `UnicodeEncodeError`).
    public var exceptions: [String] = []
    /// Whether the input was cut at the size limit or ADF nesting went past the depth limit.
    public var truncated = false
    /// Whether the text reads as noise (random characters, binary, hex dumps) rather than language:
    /// fewer than half of its letter pairs are common ones. Only judged for 2 KiB or more.
    public var looksLikeNoise = false

    public init(text: String, format: Format) {
        self.text = text
        self.format = format
    }

    /// The hosts of `urls`, lowercased (`github.com`).
    public var urlHosts: [String] {
        urls.compactMap { url in
            guard let range = url.range(of: "://") else { return nil }
            let rest = url[range.upperBound...]
            let host = rest.prefix { $0 != "/" && $0 != ":" && $0 != "?" && $0 != "#" }
            return host.isEmpty ? nil : host.lowercased()
        }
    }

    /// Every piece of evidence, deduplicated, in a stable order: code languages, exceptions, paths, URLs,
    /// stack frames, inline code.
    public var evidence: [String] {
        var seen = Set<String>()
        var all: [String] = []
        let languages = codeBlocks.compactMap(\.language)
        for item in languages + exceptions + paths + urls + stackFrames + inlineCode where seen.insert(item).inserted {
            all.append(item)
        }
        return all
    }
}
