import Testing
import TextKit

@Suite struct TokenizerTests {
    @Test func wordsAreLowercasedSingularAndWithoutReferencesOrHashes() {
        let terms = Tokenizer.strings("Fix watches in ZOOKEEPER-123 and #45 after commit 3fa9c01d, queries fail")
        #expect(terms.contains("fix"))
        #expect(terms.contains("watche"))     // Harman's S-stemmer: `es` → `e`
        #expect(terms.contains("query"))      // `ies` → `y`
        #expect(!terms.contains { $0.contains("zookeeper") || $0.contains("123") || $0.contains("45") })
        #expect(!terms.contains("3fa9c01d"))
        #expect(terms.contains("fix watche"))  // bigrams of consecutive words
    }

    @Test func codeIdentifiersAlsoGiveTheirParts() {
        let terms = Tokenizer.strings("NullPointerException in getDataTree and max_session_timeout of HTTPServer")
        for term in ["nullpointerexception", "null", "pointer", "exception", "getdatatree", "get", "data", "tree",
                     "max_session_timeout", "max", "session", "timeout", "httpserver", "http", "server"] {
            #expect(terms.contains(term), "\(term)")
        }
        // A plain word is not split into itself again.
        #expect(Tokenizer.strings("leader").filter { $0 == "leader" }.count == 1)
    }

    @Test func pathsAreOneTermEach() {
        let terms = Tokenizer.strings("see src/java/main/org/apache/zookeeper/server/DataTree.java. and numpy/core/src")
        #expect(terms.contains("path:src/java/main/org/apache/zookeeper/server/datatree.java"))
        #expect(terms.contains("path:numpy/core/src"))
        #expect(!Tokenizer.strings("and/or").isEmpty)
    }

    @Test func stemming() {
        #expect(Tokenizer.stem("servers") == "server")
        #expect(Tokenizer.stem("class") == "class")
        #expect(Tokenizer.stem("status") == "status")
        #expect(Tokenizer.stem("policies") == "policy")
        #expect(Tokenizer.stem("is") == "is")
    }

    @Test func emptyAndNonASCIIInputIsHarmless() {
        #expect(Tokenizer.strings("").isEmpty)
        #expect(Tokenizer.strings("日本語 ✓ —").isEmpty)
        #expect(Tokenizer.strings(String(repeating: "a/", count: 10_000)).count >= 1)
    }
}
