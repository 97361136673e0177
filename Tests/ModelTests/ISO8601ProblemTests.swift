import Testing
import Foundation
@testable import Model

/// A date that does not parse says what is wrong with it, so a person can fix their file.
@Suite struct ISO8601ProblemTests {
    @Test(arguments: [
        ("2024-13-02T10:00:00Z", "month 13 does not exist (01 to 12)"),
        ("2024-04-31T10:00:00Z", "day 31 does not exist in 2024-04 (01 to 30)"),
        ("2023-02-29T10:00:00Z", "day 29 does not exist in 2023-02 (01 to 28)"),
        ("2024-01-02T25:00:00Z", "hour 25 does not exist (00 to 23)"),
        ("2024-01-02T10:61:00Z", "minute 61 does not exist (00 to 59)"),
        ("2024-01-02T10:00:00", "no time zone offset: add Z (UTC) or the offset"),
        ("2024-01-02T10:00:00 CET", "unreadable time zone offset ' CET'"),
        ("2024-01-02 at noon", "expected a time hh:mm[:ss] after the date"),
        ("02/01/2024", "'02/01/2024' is not a date: expected YYYY-MM-DD"),
        ("yesterday", "'yesterday' is not a date"),
    ])
    func aBadDateSaysWhatIsWrong(text: String, expected: String) {
        let problem = ISO8601Problem.describe(text)
        #expect(problem?.hasPrefix(expected) == true, "\(text): \(problem ?? "nil")")
    }

    @Test func aGoodDateHasNoProblem() {
        for text in ["2024-01-02T10:00:00Z", "2024-02-29T10:00:00.123+02:00", "2024-01-02T10:00:00.000+0000", "2024-01-02"] {
            #expect(ISO8601Problem.describe(text) == nil, "\(text)")
        }
    }

    @Test func historyLinesCarryTheProblemWithTheField() {
        let lines = HistoryReader.parse(Data(#"{"key": "A-1", "project": "A", "title": "t", "created": "2024-13-01T00:00:00Z"}"#.utf8))
        guard case .failure(let error) = lines.first?.result else {
            Issue.record("accepted month 13")
            return
        }
        #expect(error.reason == "created: month 13 does not exist (01 to 12)")
    }
}
