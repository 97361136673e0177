/// Source text as the declaration reader needs it: comments removed and string literals emptied, so that braces and
/// quotes inside them count for nothing.
enum SourceText {
    /// The lines of `source` with comments removed and each string literal's contents (including multi-line ones)
    /// removed.
    static func codeLines(_ source: String) -> [String] {
        var lines: [String] = []
        var current = ""
        var inBlockComment = false
        var inMultiLineString = false
        var characters = Array(source)[...]
        while let character = characters.first {
            characters = characters.dropFirst()
            if character == "\n" {
                lines.append(current)
                current = ""
                continue
            }
            if inBlockComment {
                if character == "*", characters.first == "/" { characters = characters.dropFirst(); inBlockComment = false }
                continue
            }
            if inMultiLineString {
                if character == "\"", characters.prefix(2) == ["\"", "\""] {
                    characters = characters.dropFirst(2)
                    current += "\"\"\"\"\"\""
                    inMultiLineString = false
                }
                continue
            }
            if character == "/", characters.first == "/" {
                while let next = characters.first, next != "\n" { characters = characters.dropFirst() }
                continue
            }
            if character == "/", characters.first == "*" {
                characters = characters.dropFirst()
                inBlockComment = true
                continue
            }
            if character == "\"" {
                if characters.prefix(2) == ["\"", "\""] {
                    characters = characters.dropFirst(2)
                    inMultiLineString = true
                    continue
                }
                // A one-line string: skip to its closing quote (escaped quotes and interpolations' parentheses
                // stay inside).
                var escaped = false
                while let next = characters.first, next != "\n" {
                    characters = characters.dropFirst()
                    if escaped { escaped = false; continue }
                    if next == "\\" { escaped = true; continue }
                    if next == "\"" { break }
                }
                current += "\"\""
                continue
            }
            current.append(character)
        }
        lines.append(current)
        return lines
    }

    /// `text` split at the commas outside brackets, parentheses and angle brackets, each part trimmed.
    static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = []
        var depth = 0
        var current = ""
        var previous: Character = " "
        for character in text {
            defer { previous = character }
            switch character {
            case "(", "[", "<": depth += 1
            case ">" where previous == "-": break   // a function type's arrow
            case ")", "]", ">": depth -= 1
            case "," where depth == 0:
                parts.append(current.trimmingWhitespace)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        if !current.trimmingWhitespace.isEmpty { parts.append(current.trimmingWhitespace) }
        return parts
    }
}

extension StringProtocol {
    var trimmingWhitespace: String {
        let characters = drop { $0 == " " || $0 == "\t" || $0 == "\r" }
        return String(characters.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }
}
