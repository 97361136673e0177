import Foundation
import Testing
@testable import Observability

@Suite struct LoggerTests {
    @Test func writesOneJSONObjectPerLine() throws {
        let capture = LogCapture()
        let logger = Logger(label: "storage", sink: capture.sink).with(["instance": 1])
        logger.info("imported", ["count": 3, "ratio": 0.5, "ok": true, "note": "line\nbreak \"quoted\""])
        logger.debug("hidden")
        #expect(capture.lines.count == 1)
        let object = try JSONSerialization.jsonObject(with: Data(capture.lines[0].utf8)) as! [String: Any]
        #expect(object["service"] as? String == "storage")
        #expect(object["level"] as? String == "info")
        #expect(object["msg"] as? String == "imported")
        #expect(object["count"] as? Int == 3)
        #expect(object["instance"] as? Int == 1)
        #expect(object["note"] as? String == "line\nbreak \"quoted\"")
        #expect((object["ts"] as? String)?.hasSuffix("Z") == true)
    }

    @Test(arguments: [
        "reporter alice@example.com asked",
        "Authorization: Bearer abc.def.ghi",
        "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl",
        "key sk-proj-0123456789abcdefghijkl",
    ])
    func secretsAndEmailsAreRedacted(text: String) {
        let capture = LogCapture()
        Logger(label: "t", sink: capture.sink).warning(text, ["detail": .string(text)])
        let line = capture.lines.joined()
        #expect(line.contains("[redacted]"))
        for secret in ["alice@example.com", "abc.def.ghi", "eyJhbGciOiJIUzI1NiJ9", "sk-proj-0123456789abcdefghijkl"] {
            #expect(!line.contains(secret))
        }
    }

    @Test func ordinaryTextIsUntouched() {
        #expect(Redactor.redact("imported 19415 tickets in 2.1 s") == "imported 19415 tickets in 2.1 s")
    }
}
