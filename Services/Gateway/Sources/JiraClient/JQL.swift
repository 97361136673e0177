import Foundation

/// Building JQL safely: quoted values and Jira's date format.
public enum JQL {
    /// `"value"` with `\` and `"` escaped.
    public static func quote(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// `"2024/01/02 10:00"`: JQL dates have minute precision and are read in the searching user's time
    /// zone, so the instant is written in `timeZone` (UTC when unknown).
    public static func date(_ date: Date, timeZone: String?) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy/MM/dd HH:mm"
        return "\"" + formatter.string(from: date) + "\""
    }

    /// `project in ("A", "B")`.
    public static func projects(_ keys: [String]) -> String {
        "project in (" + keys.map(quote).joined(separator: ", ") + ")"
    }
}
