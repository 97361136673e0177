/// Why a text is not an ``ISO8601`` timestamp, in words a person fixing their file can act on: called only after
/// ``ISO8601/parse(_:)`` refused it, so it can be slow and thorough.
public enum ISO8601Problem {
    static let example = "2024-05-31T14:03:00Z or 2024-05-31T14:03:00+02:00"

    /// What is wrong with `text`; nil when it is a valid timestamp.
    public static func describe(_ text: String) -> String? {
        guard ISO8601.parse(text) == nil else { return nil }
        let characters = Array(text)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= characters.count else { return nil }
            let part = characters[range]
            guard part.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(String(part))
        }
        guard let year = number(0..<4), characters.count >= 10, characters[4] == "-", characters[7] == "-",
              let month = number(5..<7), let day = number(8..<10) else {
            return "'\(text.prefix(40))' is not a date: expected YYYY-MM-DD with a time and offset, e.g. \(example)"
        }
        guard (1...12).contains(month) else { return "month \(month) does not exist (01 to 12)" }
        let days = ISO8601.daysIn(month: month, year: year)
        guard (1...days).contains(day) else { return "day \(day) does not exist in \(String(format: "%04d-%02d", year, month)) (01 to \(days))" }
        guard characters.count > 10 else { return "unreadable date" }
        guard ["T", "t", " "].contains(characters[10]) else { return "expected T between the date and the time, e.g. \(example)" }
        guard let hour = number(11..<13), characters.count > 13, characters[13] == ":", let minute = number(14..<16) else {
            return "expected a time hh:mm[:ss] after the date, e.g. \(example)"
        }
        guard (0...23).contains(hour) else { return "hour \(hour) does not exist (00 to 23)" }
        guard (0...59).contains(minute) else { return "minute \(minute) does not exist (00 to 59)" }
        var index = 16
        if index < characters.count, characters[index] == ":" {
            guard let second = number(17..<19) else { return "expected two digits of seconds after hh:mm:" }
            guard (0...60).contains(second) else { return "second \(second) does not exist (00 to 59)" }
            index = 19
        }
        if index < characters.count, characters[index] == "." || characters[index] == "," {
            index += 1
            while index < characters.count, characters[index].isASCII && characters[index].isNumber { index += 1 }
        }
        guard index < characters.count else {
            return "no time zone offset: add Z (UTC) or the offset, e.g. \(example)"
        }
        return "unreadable time zone offset '\(String(characters[index...]).prefix(12))': use Z or ±hh:mm, e.g. \(example)"
    }
}
