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

/// The fast JSONSyntax (eight bytes at a time in strings and digit runs) against the plain reference:
/// the same count or the same error offset for every single-byte change, cut and insertion of a
/// realistic candidates document, so every position relative to an eight-byte word is covered.
@Suite struct JSONSyntaxDifferentialTests {
    private static let document: [UInt8] = {
        var json = "["
        for candidate in 0..<2 {
            if candidate > 0 { json += ", " }
            json += #"{"factors":{"skillFit":{"contribution":0.12345678901234567,"value":-1.5e-7,"weight":10},"# +
                #""workload":{"contribution":0,"value":1E+2,"weight":0.3}},"person":"p-\#(candidate)-ünïcødé","# +
                #""reasons":["resolved 12 similar tickets in the last year","has worked with python, c, numpy.core","esc \"\\\/\b\f\n\r\t\u00e9 😀"],"# +
                #""score":83.25,"flags":[true,false,null,[],{}]}"#
        }
        return Array((json + "]").utf8)
    }()

    private func outcome(_ bytes: [UInt8]) -> String {
        let fast: String
        do { fast = "count \(try JSONSyntax.arrayOfObjects(bytes))" } catch { fast = "invalid at \(error.offset)" }
        return fast
    }

    private func reference(_ bytes: [UInt8]) -> String {
        do { return "count \(try ReferenceJSONSyntax.arrayOfObjects(bytes))" } catch { return "invalid at \(error.offset)" }
    }

    @Test func agreesWithTheReferenceOnEveryMutation() {
        let document = Self.document
        #expect(outcome(document) == "count 2")
        var inputs: [[UInt8]] = []
        let replacements: [UInt8] = [0x22, 0x5C, 0x01, 0x1F, 0x20, 0x7F, 0x80, 0xC3, 0xED, 0xF4, 0x30, 0x39, 0x2E, 0x65, 0x2D, 0x2C, 0x7D, 0x5D, 0x61, 0x00]
        for index in document.indices {
            for byte in replacements where byte != document[index] {
                var changed = document
                changed[index] = byte
                inputs.append(changed)
            }
            inputs.append(Array(document[..<index]))
            var inserted = document
            inserted.insert(0x22, at: index)
            inputs.append(inserted)
        }
        var disagreements: [String] = []
        for input in inputs where outcome(input) != reference(input) {
            disagreements.append("\(String(decoding: input, as: UTF8.self)): \(outcome(input)) vs \(reference(input))")
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(3))")
        #expect(inputs.count > 5_000)
    }

    @Test func longPlainRunsEndAtTheirFirstSpecialByte() {
        for length in 0..<20 {
            for special: UInt8 in [0x22, 0x5C, 0x0A, 0x80] {
                let plain = [UInt8](repeating: UInt8(ascii: "x"), count: length)
                let digits = [UInt8](repeating: UInt8(ascii: "7"), count: length)
                for input in [Array("[{\"a\":\"".utf8) + plain + [special] + Array("\"}]".utf8),
                              Array("[{\"a\":1".utf8) + digits + [special] + Array("}]".utf8)] {
                    #expect(outcome(input) == reference(input), "\(length) \(special)")
                }
            }
        }
    }
}
