/// Lists of strings stored in one text column as a JSON array, encoded and parsed by hand (fast).
enum StringList {
    static func encode(_ values: [String]) -> String {
        var out = "["
        for (index, value) in values.enumerated() {
            if index > 0 { out += "," }
            out += "\""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: out.unicodeScalars.append(scalar)
                }
            }
            out += "\""
        }
        return out + "]"
    }

    /// The strings of the stored list `bytes` (what ``encode(_:)`` wrote): lists without escapes,
    /// nearly all of them, are cut out of the bytes directly; others go through ``decode(_:)``.
    static func decode(bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        if bytes.count <= 2 { return [] }   // "[]" (or NULL)
        guard !bytes.contains(UInt8(ascii: "\\")) else { return decode(String(decoding: bytes, as: UTF8.self)) }
        var values: [String] = []
        var start: Int?
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\"") {
            if let open = start {
                values.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[(open + 1)..<index]), as: UTF8.self))
                start = nil
            } else {
                start = index
            }
        }
        return values
    }

    static func decode(_ text: String) -> [String] {
        var values: [String] = []
        var current = String.UnicodeScalarView()
        var inString = false
        var iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            if !inString {
                if scalar == "\"" { inString = true; current = String.UnicodeScalarView() }
                continue
            }
            switch scalar {
            case "\"":
                values.append(String(current))
                inString = false
            case "\\":
                guard let escaped = iterator.next() else { break }
                switch escaped {
                case "u":
                    var hex = ""
                    for _ in 0..<4 { if let digit = iterator.next() { hex.unicodeScalars.append(digit) } }
                    if let value = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(value) { current.append(decoded) }
                case "n": current.append("\n")
                case "t": current.append("\t")
                case "r": current.append("\r")
                default: current.append(escaped)
                }
            default:
                current.append(scalar)
            }
        }
        return values
    }
}
