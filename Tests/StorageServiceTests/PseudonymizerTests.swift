import Testing
@testable import StorageService

/// Whole-word replacement of a person's id and name (``Pseudonymizer``), in text and in JSON as Foundation writes it.
@Suite struct PseudonymizerTests {
    let scrubber = Pseudonymizer(words: ["ann", "Ann O'Neil / QA"], pseudonym: "erased-0123456789abcdef")

    @Test func replacesWholeWordsOnly() {
        #expect(scrubber.scrub("given to ann today") == "given to erased-0123456789abcdef today")
        #expect(scrubber.scrub(#"{"chosen":"ann"}"#) == #"{"chosen":"erased-0123456789abcdef"}"#)
        #expect(scrubber.scrub("annual joanna ann-marie ann_2 annë") == nil)
        #expect(scrubber.scrub("ann,ann.") == "erased-0123456789abcdef,erased-0123456789abcdef.")
    }

    @Test func replacesTheLongestNeedleAndItsJSONSpelling() {
        #expect(scrubber.scrub("ask Ann O'Neil / QA") == "ask erased-0123456789abcdef")
        #expect(scrubber.scrub(#"{"displayName":"Ann O'Neil \/ QA"}"#) == #"{"displayName":"erased-0123456789abcdef"}"#)
    }

    @Test func ignoresOneLetterWordsAndLeavesBytesAlone() {
        let single = Pseudonymizer(words: ["a", ""], pseudonym: "x")
        #expect(single.needles.isEmpty)
        #expect(single.scrub("a b c") == nil)
        #expect(scrubber.scrub(Array("ann".utf8) + [0xFF]) == nil)   // a byte of a longer word follows
        #expect(scrubber.scrub([0x00] + Array("ann".utf8)) == [0x00] + Array("erased-0123456789abcdef".utf8))
    }
}
