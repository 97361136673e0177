/// What makes a decoded path parameter unusable as an id, checked at the edge before any backend
/// call (storage checks ids again, so no path can write one).
enum PathParameter {
    /// Why `value` cannot be an id, phrased to follow "path parameter `name`"; nil when it can.
    static func problem(_ value: String) -> String? {
        if hasControlCharacter(value) { return controlCharacters }
        if value == "." || value == ".." { return "must not be `.` or `..`" }
        return nil
    }

    /// Said of a parameter (path or query) holding a control character.
    static let controlCharacters = "must not contain control characters (NUL, tab, line breaks, DEL)"

    /// Whether `value` holds an ASCII control character (NUL included) or DEL.
    static func hasControlCharacter(_ value: String) -> Bool {
        // In UTF-8 a byte below 0x80 is always a whole ASCII scalar: checking bytes checks scalars.
        value.utf8.contains { $0 < 0x20 || $0 == 0x7F }
    }
}
