/// Removes e-mail addresses and phone numbers from text before it leaves the system.
public enum PIIRedactor {
    /// `text` with e-mail addresses replaced by `[email]` and phone numbers by `[phone]`.
    public static func redact(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var index = text.startIndex
        while index < text.endIndex {
            if let (end, replacement) = match(text, at: index) {
                out += replacement
                index = end
            } else {
                out.append(text[index])
                index = text.index(after: index)
            }
        }
        return out
    }

    private static func isEmailLocal(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || "._%+-".contains(c))
    }

    private static func isDomain(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || ".-".contains(c))
    }

    /// An e-mail or phone number starting at `start`, if one does (and starts a token).
    private static func match(_ text: String, at start: String.Index) -> (String.Index, String)? {
        if start > text.startIndex {
            let previous = text[text.index(before: start)]
            if isEmailLocal(previous) || previous.isNumber { return nil }
        }
        // E-mail: local@domain.tld
        var cursor = start
        while cursor < text.endIndex, isEmailLocal(text[cursor]) { cursor = text.index(after: cursor) }
        if cursor > start, cursor < text.endIndex, text[cursor] == "@" {
            var end = text.index(after: cursor)
            let domainStart = end
            while end < text.endIndex, isDomain(text[end]) { end = text.index(after: end) }
            var domain = text[domainStart..<end]
            while domain.last == "." || domain.last == "-" {
                domain = domain.dropLast()
                end = text.index(before: end)
            }
            if domain.contains("."), let tld = domain.split(separator: ".").last, tld.count >= 2, tld.allSatisfy(\.isLetter) {
                return (end, "[email]")
            }
        }
        // Phone: optional +, then digits with spaces, dots, dashes or parentheses; 9 to 15 digits.
        cursor = start
        if cursor < text.endIndex, text[cursor] == "+" || text[cursor] == "(" { cursor = text.index(after: cursor) }
        var digits = 0
        var lastDigitEnd = start
        while cursor < text.endIndex {
            let c = text[cursor]
            if c.isASCII && c.isNumber {
                digits += 1
                lastDigitEnd = text.index(after: cursor)
            } else if !" .-()".contains(c) {
                break
            }
            if digits > 15 { return nil }
            cursor = text.index(after: cursor)
        }
        if digits >= 9 && digits <= 15 {
            // Not part of a longer number or word.
            if lastDigitEnd < text.endIndex, text[lastDigitEnd].isLetter || text[lastDigitEnd].isNumber { return nil }
            let matched = text[start..<lastDigitEnd]
            // Dates and versions (2024-01-02, 1.2.3.4) are not phone numbers: require a separator mix typical of phones
            // or a leading + or a run of at least 9 digits.
            let separators = matched.filter { " ()".contains($0) }.count
            if matched.hasPrefix("+") || separators > 0 || matched.allSatisfy(\.isNumber) || matched.filter({ $0 == "-" }).count >= 2 && digits >= 10 {
                return (lastDigitEnd, "[phone]")
            }
        }
        return nil
    }
}
