/// Masks things that must never reach a log: e-mail addresses, bearer tokens, JWTs and API keys.
///
/// A safety net under the rule that callers do not log such values in the first place.
public enum Redactor {
    /// Returns `text` with secrets and e-mail addresses replaced by `[redacted]`.
    public static func redact(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "@") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: " ") })
        else { return text }
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var changed = false
        var redactNext = false
        for index in words.indices {
            let word = words[index]
            if redactNext && !word.isEmpty {
                words[index] = "[redacted]"
                changed = true
                redactNext = false
                continue
            }
            let lower = word.lowercased()
            if lower == "bearer" || lower == "basic" {
                redactNext = true
                continue
            }
            if isSecretLike(word) {
                words[index] = "[redacted]"
                changed = true
            }
        }
        return changed ? words.joined(separator: " ") : text
    }

    private static func isSecretLike(_ word: String) -> Bool {
        let bytes = Array(word.utf8)
        // e-mail: something@something.something
        if let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > 0,
           bytes[(at + 1)...].contains(UInt8(ascii: ".")) {
            return true
        }
        // JWT: three base64url segments starting with eyJ
        if word.hasPrefix("eyJ") && bytes.filter({ $0 == UInt8(ascii: ".") }).count >= 2 { return true }
        // API keys in the common sk-... shape
        if word.hasPrefix("sk-") && bytes.count >= 20 { return true }
        return false
    }
}
