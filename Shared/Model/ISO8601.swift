import Foundation

/// A fast, strict parser for the ISO 8601 timestamps in ticket histories and Jira:
/// `2024-01-02T10:00:00Z`, `2024-01-02T10:00:00.123+02:00`, `2024-01-02T10:00:00.000+0000`,
/// and a bare date `2024-01-02` (midnight UTC).
public enum ISO8601 {
    /// The instant `text` names, or nil if it is not such a timestamp.
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += count
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var seconds = 0.0
        var offset = 0
        if index < bytes.count {
            guard bytes[index] == 84 || bytes[index] == 116 || bytes[index] == 32 else { return nil }   // T, t, space
            index += 1
            guard let hour = digits(2), expect(58), let minute = digits(2), (0...23).contains(hour), (0...59).contains(minute)
            else { return nil }
            var second = 0
            if expect(58) {
                guard let parsed = digits(2), (0...60).contains(parsed) else { return nil }
                second = parsed
            }
            var fraction = 0.0
            if index < bytes.count && (bytes[index] == 46 || bytes[index] == 44) {
                index += 1
                var scale = 0.1
                var any = false
                while index < bytes.count, bytes[index] >= 48 && bytes[index] <= 57 {
                    fraction += Double(bytes[index] - 48) * scale
                    scale /= 10
                    index += 1
                    any = true
                }
                guard any else { return nil }
            }
            seconds = Double(hour * 3600 + minute * 60 + second) + fraction
            guard index < bytes.count else { return nil }   // a time needs a zone
            let sign = bytes[index]
            if sign == 90 || sign == 122 {   // Z
                index += 1
            } else if sign == 43 || sign == 45 {   // + -
                index += 1
                guard let hours = digits(2), hours <= 23 else { return nil }
                _ = expect(58)
                guard let minutes = digits(2), minutes <= 59 else { return nil }
                offset = (hours * 3600 + minutes * 60) * (sign == 45 ? -1 : 1)
            } else {
                return nil
            }
        }
        guard index == bytes.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        guard day <= daysIn(month: month, year: year) else { return nil }
        return Date(timeIntervalSince1970: Double(days) * 86_400 + seconds - Double(offset))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `2024-01-02T10:00:00Z` (UTC, whole seconds; fractions kept to milliseconds when present).
    public static func format(_ date: Date) -> String {
        var time = time_t(floor(date.timeIntervalSince1970))
        var parts = tm()
        gmtime_r(&time, &parts)
        let millis = Int(((date.timeIntervalSince1970 - floor(date.timeIntervalSince1970)) * 1000).rounded())
        let base = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                          parts.tm_hour, parts.tm_min, parts.tm_sec)
        return millis > 0 && millis < 1000 ? base + String(format: ".%03dZ", millis) : base + "Z"
    }
}
