/// Splits ticket text into lowercase terms: runs of letters, digits and `_` that start with a letter
/// and have at least two characters; issue keys (`ABC-123`) and `#123` references are dropped.
public enum Tokenizer {
    public static func terms(_ text: String) -> [String] {
        var terms: [String] = []
        var current: [UInt8] = []
        var utf8 = Array(text.utf8)
        dropIssueReferences(&utf8)
        func flush() {
            if current.count >= 2, let first = current.first, first >= 97 && first <= 122 {
                terms.append(String(decoding: current, as: UTF8.self))
            }
            current.removeAll(keepingCapacity: true)
        }
        for byte in utf8 {
            let lower = byte >= 65 && byte <= 90 ? byte + 32 : byte
            if (lower >= 97 && lower <= 122) || (lower >= 48 && lower <= 57) || lower == 95 {
                if current.count < 64 { current.append(lower) }
            } else {
                flush()
            }
        }
        flush()
        return terms
    }

    /// Blanks `ABC-123` and `#123`: ticket references say nothing about who should work on a ticket.
    static func dropIssueReferences(_ bytes: inout [UInt8]) {
        var index = 0
        while index < bytes.count {
            let start = index
            if bytes[index] == 35 {   // #
                var end = index + 1
                while end < bytes.count, bytes[end] >= 48 && bytes[end] <= 57 { end += 1 }
                if end > index + 1 { for i in start..<end { bytes[i] = 32 } }
                index = max(end, index + 1)
                continue
            }
            if bytes[index] >= 65 && bytes[index] <= 90, start == 0 || !isWordByte(bytes[start - 1]) {
                var end = index
                while end < bytes.count, (bytes[end] >= 65 && bytes[end] <= 90) || (bytes[end] >= 48 && bytes[end] <= 57) { end += 1 }
                if end < bytes.count - 1, bytes[end] == 45, bytes[end + 1] >= 48 && bytes[end + 1] <= 57 {
                    var digits = end + 1
                    while digits < bytes.count, bytes[digits] >= 48 && bytes[digits] <= 57 { digits += 1 }
                    if digits == bytes.count || !isWordByte(bytes[digits]) {
                        for i in start..<digits { bytes[i] = 32 }
                        index = digits
                        continue
                    }
                }
                index = max(end, index + 1)
                continue
            }
            index += 1
        }
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 95
    }
}
