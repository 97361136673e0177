/// Builds one JSON object line with escaped, redacted string values.
struct JSONLine {
    private var text = "{"
    private var first = true

    mutating func add(_ key: String, _ value: LogValue) {
        if !first { text += "," }
        first = false
        JSONLine.appendString(key, to: &text)
        text += ":"
        switch value {
        case .string(let string): JSONLine.appendString(Redactor.redact(string), to: &text)
        case .int(let int): text += String(int)
        case .double(let double): text += double.isFinite ? String(double) : "null"
        case .bool(let bool): text += bool ? "true" : "false"
        }
    }

    mutating func finish() -> String {
        text += "}"
        return text
    }

    /// Appends `string` as a JSON string literal.
    static func appendString(_ string: String, to text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
