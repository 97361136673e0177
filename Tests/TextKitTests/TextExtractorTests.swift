import Foundation
import Harness
import Testing
import TestSupport
import TextKit

@Suite struct TextExtractorTests {
    /// The common extensions and `.exe`, which stands for the extensions a skill taxonomy adds (the skill
    /// detector's extractor knows those of its skills; SkillsCoreTests checks detection from extracted text).
    let extractor = TextExtractor(extensions: TextExtractor.commonExtensions.union([".exe"]))

    /// The ADF `description` of the first issue of the Jira search fixture, as the JSON string Jira sends.
    func fixtureDescription() throws -> String {
        let data = try Data(contentsOf: TestFixtures.jira("jira-search-jql-response.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let issues = try #require(root["issues"] as? [[String: Any]])
        let fields = try #require(issues.first?["fields"] as? [String: Any])
        let description = try #require(fields["description"])
        return String(decoding: try JSONSerialization.data(withJSONObject: description), as: UTF8.self)
    }

    @Test func adfFromTheJiraFixture() throws {
        let result = extractor.extract(try fixtureDescription())
        #expect(result.format == .adf)
        #expect(result.text.trimmingCharacters(in: .whitespacesAndNewlines) == "Main order flow broken")
        #expect(!result.truncated)
    }

    @Test func adfExamplesFromTheOpenAPISubset() throws {
        let data = try Data(contentsOf: TestFixtures.jira("openapi-subset.json"))
        var documents: [Any] = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if object["type"] as? String == "doc" { documents.append(object) }
                object.values.forEach(collect)
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(try JSONSerialization.jsonObject(with: data))
        #expect(documents.count >= 2)
        let texts = try documents.map { document in
            extractor.extract(String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)).text
        }
        #expect(texts.contains { $0.contains("I did some work here.") })
        #expect(texts.contains { $0.contains("Investigation underway") })
    }

    @Test func richADFKeepsCodeLinksAndDropsMentions() throws {
        let document: [String: Any] = [
            "type": "doc", "version": 1,
            "content": [
                ["type": "heading", "attrs": ["level": 2], "content": [["type": "text", "text": "Checkout crash"]]],
                ["type": "paragraph", "content": [
                    ["type": "text", "text": "Assigned by "],
                    ["type": "mention", "attrs": ["id": "abc", "text": "@Julia Reyes"]],
                    ["type": "text", "text": " see "],
                    ["type": "text", "text": "PaymentService.java", "marks": [["type": "code"]]],
                    ["type": "hardBreak"],
                    ["type": "text", "text": "the runbook", "marks": [["type": "link", "attrs": ["href": "https://wiki.example.com/runbook"]]]],
                ]],
                ["type": "codeBlock", "attrs": ["language": "Java"], "content": [
                    ["type": "text", "text": "java.lang.NullPointerException: boom\n\tat com.example.pay.PaymentService.charge(PaymentService.java:42)"],
                ]],
                ["type": "bulletList", "content": [
                    ["type": "listItem", "content": [["type": "paragraph", "content": [["type": "text", "text": "retry with kubectl rollout"]]]]],
                ]],
                ["type": "paragraph", "content": [["type": "inlineCard", "attrs": ["url": "https://github.com/acme/pay/pull/7"]]]],
                ["type": "mediaSingle", "content": [["type": "media", "attrs": ["id": "x", "type": "file", "collection": "c"]]]],
            ],
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
        let result = extractor.extract(json)
        #expect(result.format == .adf)
        #expect(result.text.contains("Checkout crash"))
        #expect(result.text.contains("retry with kubectl rollout"))
        #expect(!result.text.contains("Julia"))
        #expect(result.codeBlocks.first?.language == "java")
        #expect(result.codeBlocks.first?.code.contains("NullPointerException") == true)
        #expect(result.inlineCode == ["PaymentService.java"])
        #expect(result.urls.contains("https://wiki.example.com/runbook"))
        #expect(result.urls.contains("https://github.com/acme/pay/pull/7"))
        #expect(result.urlHosts.contains("github.com"))
        #expect(result.exceptions.contains("java.lang.NullPointerException"))
        #expect(result.stackFrames.contains { $0.hasPrefix("at com.example.pay.PaymentService.charge(") })
        #expect(result.paths.contains("PaymentService.java"))
    }

    @Test func deeplyNestedADFNeverTraps() throws {
        for depth in [80, 400, 5_000, 40_000] {
            var json = #"{"type":"doc","version":1,"content":["#
            for _ in 0..<depth { json += #"{"type":"bulletList","content":[{"type":"listItem","content":["# }
            json += #"{"type":"paragraph","content":[{"type":"text","text":"deep kafka text"}]}"#
            for _ in 0..<depth { json += "]}]}" }
            json += "]}"
            let result = extractor.extract(json)
            #expect(result.format == .adf, "depth \(depth)")
            #expect(result.truncated, "depth \(depth)")
            if depth > 1_000 {
                // Past the parser's limit or the size limit: the text nodes are still read.
                #expect(result.text.contains("deep kafka text") || json.utf8.count > TextExtractor.defaultMaxBytes)
            }
        }
        let shallow = #"{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"ok"}]}]}"#
        #expect(!extractor.extract(shallow).truncated)
    }

    @Test func wikiMarkup() {
        let text = """
        h2. Summary
        The *ledger* job fails, see [the log|https://ci.example.com/job/42] and {color:red}this{color}.
        bq. quoted line
        {code:java}
        java.lang.IllegalStateException: closed
        \tat org.apache.zookeeper.ClientCnxn.submit(ClientCnxn.java:1459)
        {code}
        {noformat}raw output{noformat}
        {quote}a quote{quote}
        """
        let result = extractor.extract(text)
        #expect(result.format == .markup)
        #expect(result.text.hasPrefix("Summary"))
        #expect(!result.text.contains("h2."))
        #expect(!result.text.contains("{code"))
        #expect(!result.text.contains("{color"))
        #expect(result.text.contains("quoted line"))
        #expect(!result.text.contains("bq."))
        #expect(result.codeBlocks.count == 2)
        #expect(result.codeBlocks.first?.language == "java")
        #expect(result.codeBlocks.first?.code.contains("IllegalStateException") == true)
        #expect(result.codeBlocks.last?.code == "raw output")
        #expect(result.urls == ["https://ci.example.com/job/42"])
        #expect(result.exceptions == ["java.lang.IllegalStateException"])
        #expect(result.stackFrames.count == 1)
        #expect(result.paths.contains("ClientCnxn.java"))
    }

    @Test func markdown() {
        let text = """
        # Crash on launch
        Run `swift build` then see [docs](https://docs.example.com/a/b).

        ```swift
        import Foundation
        let x: Int? = nil
        ```
        Touches `Sources/App/Main.swift` and numpy/core/src/umath/loops.c.src.
        > quoted
        """
        let result = extractor.extract(text)
        #expect(result.format == .markup)
        #expect(result.text.hasPrefix("Crash on launch"))
        #expect(!result.text.contains("```"))
        #expect(result.codeBlocks == [ExtractedText.CodeBlock(language: "swift", code: "import Foundation\nlet x: Int? = nil")])
        #expect(result.inlineCode == ["swift build", "Sources/App/Main.swift"])
        #expect(result.urls == ["https://docs.example.com/a/b"])
        #expect(result.paths.contains("Sources/App/Main.swift"))
        #expect(result.paths.contains("numpy/core/src/umath/loops.c.src"))
        #expect(result.evidence.contains("swift"))
    }

    @Test func stackTracesAndPaths() {
        let python = """
        Traceback (most recent call last):
          File "/app/customers/admin.py", line 88, in export_csv
            writer.writerow(row)
        UnicodeEncodeError: 'ascii' codec can't encode character
        """
        let result = extractor.extract(python)
        #expect(result.stackFrames.count == 2)
        #expect(result.stackFrames.first == "Traceback (most recent call last):")
        #expect(result.paths == ["/app/customers/admin.py"])
        #expect(result.exceptions == ["UnicodeEncodeError"])
        let java = "Caused by: java.lang.NullPointerException\n\tat org.foo.Bar.baz(Bar.java:12)\n"
        let javaResult = extractor.extract(java)
        #expect(javaResult.exceptions == ["java.lang.NullPointerException"])
        #expect(javaResult.stackFrames == ["at org.foo.Bar.baz(Bar.java:12)"])
        #expect(javaResult.paths == ["Bar.java"])
        let plain = extractor.extract("and/or 1/2 03/04/2024 TCP/IP e.g. a.m. src/foo/bar.swift C:\\Program Files\\x.exe")
        #expect(plain.format == .plain)
        // A Windows path with a space splits in two; both halves are still paths.
        #expect(plain.paths == ["src/foo/bar.swift", "C:\\Program", "Files\\x.exe"])
    }

    @Test func urlHostsStayWhole() {
        let result = extractor.extract("Fixed in https://github.com/numpy/numpy/pull/24584 and www.example.com.")
        #expect(result.urls == ["https://github.com/numpy/numpy/pull/24584"])
        #expect(result.urlHosts == ["github.com"])
    }

    @Test func realTicketsAreNotNoise() async throws {
        // On a thread of its own (not one of the cooperative pool's few): the numpy history is 7.6 MB.
        let (checked, noise) = try await onBlockingThread { [extractor] in
            let lines = try String(contentsOf: TestFixtures.numpyHistory, encoding: .utf8).split(separator: "\n")
            var checked = 0
            var noise: [String] = []
            for line in lines where line.utf8.count > 3_000 {
                let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                let description = record?["description"] as? String ?? ""
                guard description.utf8.count >= 2_048 else { continue }
                checked += 1
                if extractor.extract(description).looksLikeNoise { noise.append(String(description.prefix(80))) }
            }
            return (checked, noise)
        }
        #expect(noise.isEmpty, "\(noise)")
        #expect(checked >= 20)
    }

    @Test func oversizedInputIsTruncated() {
        let big = String(repeating: "kafka consumer lag ", count: 10_000)
        let result = extractor.extract(big)
        #expect(result.truncated)
        #expect(result.text.utf8.count <= TextExtractor.defaultMaxBytes)
        let multibyte = String(repeating: "é", count: 40_000)
        let cut = extractor.extract(multibyte)
        #expect(cut.truncated)
        #expect(cut.text.allSatisfy { $0 == "é" })
    }

    @Test func noiseAndBinaryNeverTrap() {
        var generator = SeededGenerator(state: 42)
        let printable = Array("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:/\\{}[]()`*#_-\n\t\"'<>|".utf8)
        let noise = String(decoding: (0..<1_048_576).map { _ in printable[Int(generator.next() % UInt64(printable.count))] },
                           as: UTF8.self)
        let noisy = extractor.extract(noise)
        #expect(noisy.truncated)
        let binary = String(decoding: (0..<200_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, as: UTF8.self)
        _ = extractor.extract(binary)
        _ = extractor.extract("{\"type\":\"doc\"" + binary)
        _ = extractor.extract("{code}" + String(repeating: "{code}{noformat}`", count: 20_000))
        _ = extractor.extract(String(repeating: "`", count: 70_000))
        #expect(noisy.looksLikeNoise)
        #expect(extractor.extract(binary).looksLikeNoise)
        #expect(TextExtractor.looksLikeNoise(noise))
        #expect(!TextExtractor.looksLikeNoise(String(noise.prefix(2_000))))  // too short to judge
        #expect(!TextExtractor.looksLikeNoise(String(repeating: "kafka consumer lag ", count: 200)))
    }
}

extension TextExtractorTests {
    @Test func titlePathsAndExtensionCandidates() {
        #expect(extractor.paths(in: "Crash in numpy/core/src/umath/loops.c.src and Bar.java, see https://x.org/a/b")
            == ["numpy/core/src/umath/loops.c.src", "Bar.java"])
        var path = "numpy/core/src/umath/loops.c.src"
        #expect(path.withUTF8 { TextExtractor.extensionCandidates($0) } == [".src", ".c.src"])
        var bare = "Makefile"
        #expect(bare.withUTF8 { TextExtractor.extensionCandidates($0) }.isEmpty)
    }

    @Test func pathologicalRunsAreExtractedThrough() {
        for input in PathologicalText.inputs {
            #expect(extractor.extract(input).text.utf8.count <= extractor.maxBytes, "\(input.prefix(12))…")
            #expect(extractor.extractPlain(input).text.utf8.count <= extractor.maxBytes, "\(input.prefix(12))…")
            _ = extractor.paths(in: input)
        }
    }
}
