import Testing
@testable import StorageService

@Suite struct JSONSyntaxTests {
    private func count(_ json: String) -> Int? { try? JSONSyntax.arrayOfObjects(Array(json.utf8)) }

    @Test func wellFormedArraysOfObjectsAreCounted() {
        #expect(count("[]") == 0)
        #expect(count(" [ ] ") == 0)
        #expect(count(#"[{}]"#) == 1)
        #expect(count(#"[{"a":1,"b":[true,false,null,-0.5e+3,"x\"\\\/\b\f\n\r\t\u00e9"],"c":{"d":[]}}, {"é":"ü"}]"#) == 2)
        #expect(count("[{\"emoji\":\"😀\",\"n\":0,\"m\":-10.25E-2}]") == 1)
    }

    @Test func malformedDocumentsAreRefused() {
        for json in ["", "{}", "[1]", "[\"a\"]", "[{}", "[{},]", "[{\"a\"}]", "[{\"a\":}]", "[{\"a\":1,}]", "[{a:1}]",
                     "[{\"a\":01}]", "[{\"a\":1.}]", "[{\"a\":.5}]", "[{\"a\":-}]", "[{\"a\":tru}]", "[{\"a\":\"\\x\"}]",
                     "[{\"a\":\"\\u12g4\"}]", "[{\"a\":\"open}]", "[{}] []", "[{\"a\":\"\t\"}]"] {
            #expect(count(json) == nil, "\(json)")
        }
        // Invalid UTF-8: an overlong slash, a lone continuation byte, a surrogate, a truncated sequence.
        for bytes: [UInt8] in [[0xC0, 0xAF], [0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82]] {
            let json = Array("[{\"a\":\"".utf8) + bytes + Array("\"}]".utf8)
            #expect((try? JSONSyntax.arrayOfObjects(json)) == nil)
        }
    }

    @Test func nestingIsBounded() {
        let deep = "[{\"a\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}]"
        #expect(count(deep) == nil)
        let fine = "[{\"a\":" + String(repeating: "[", count: 10) + String(repeating: "]", count: 10) + "}]"
        #expect(count(fine) == 1)
    }
}
