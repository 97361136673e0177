import Foundation

/// The JQL the fake understands: clauses joined by `AND` at the top level, each one of
/// `project = K`, `project in (K1, K2)`, `updated >= "yyyy/MM/dd HH:mm"`, `resolved >= "..."`,
/// `statusCategory = Done`, `statusCategory != Done`, or a parenthesised `A OR B` of those; then an
/// optional `ORDER BY`. Dates are read in the site account's time zone, as Jira does. Anything else
/// is a 400, so a client sending JQL the fake does not know fails loudly.
struct JQLFilter: Sendable {
    struct Unsupported: Error, CustomStringConvertible {
        let description: String
    }

    indirect enum Clause: Sendable {
        case projects(Set<String>)
        case updatedSince(Date)
        case resolvedSince(Date)
        case done(Bool)
        case any([Clause])
    }

    let clauses: [Clause]

    init(_ jql: String, timeZone: String) throws {
        var text = jql.trimmingCharacters(in: .whitespaces)
        if let order = text.range(of: " ORDER BY ", options: .caseInsensitive) { text = String(text[..<order.lowerBound]) }
        clauses = try Self.split(text, by: " AND ").map { try Self.clause($0, timeZone: timeZone) }
    }

    func matches(_ issue: FakeJira.Issue) -> Bool { clauses.allSatisfy { Self.holds($0, issue) } }

    private static func holds(_ clause: Clause, _ issue: FakeJira.Issue) -> Bool {
        switch clause {
        case .projects(let keys): return keys.contains(issue.project)
        case .updatedSince(let date): return issue.updated >= date
        case .resolvedSince(let date): return (issue.resolved ?? .distantPast) >= date
        case .done(let done): return (issue.statusCategory == "done") == done
        case .any(let options): return options.contains { holds($0, issue) }
        }
    }

    private static func clause(_ raw: String, timeZone: String) throws -> Clause {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("(") && text.hasSuffix(")") {
            let inner = String(text.dropFirst().dropLast())
            let options = try split(inner, by: " OR ")
            if options.count > 1 { return .any(try options.map { try clause($0, timeZone: timeZone) }) }
            return try clause(inner, timeZone: timeZone)
        }
        if let match = text.firstMatch(of: /^project\s*=\s*"?([A-Za-z0-9_]+)"?$/) { return .projects([String(match.1)]) }
        if let match = text.firstMatch(of: /^project\s+in\s*\((.*)\)$/) {
            return .projects(Set(match.1.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }))
        }
        if let match = text.firstMatch(of: /^(updated|resolved)\s*>=\s*"([0-9\/\- :]+)"$/) {
            guard let date = parseDate(String(match.2), timeZone: timeZone) else { throw Unsupported(description: "bad date '\(match.2)'") }
            return match.1 == "updated" ? .updatedSince(date) : .resolvedSince(date)
        }
        if text.firstMatch(of: /^statusCategory\s*=\s*Done$/) != nil { return .done(true) }
        if text.firstMatch(of: /^statusCategory\s*!=\s*Done$/) != nil { return .done(false) }
        throw Unsupported(description: "the fake does not understand '\(text)'")
    }

    /// Splits at `separator` outside parentheses and quotes.
    private static func split(_ text: String, by separator: String) throws -> [String] {
        var parts: [String] = []
        var depth = 0
        var quoted = false
        var current = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\"" { quoted.toggle() }
            if !quoted && character == "(" { depth += 1 }
            if !quoted && character == ")" { depth -= 1 }
            if !quoted && depth == 0 && text[index...].hasPrefix(separator) {
                parts.append(current)
                current = ""
                index = text.index(index, offsetBy: separator.count)
                continue
            }
            current.append(character)
            index = text.index(after: index)
        }
        guard depth == 0, !quoted else { throw Unsupported(description: "unbalanced parentheses or quotes") }
        parts.append(current)
        return parts
    }

    private static func parseDate(_ text: String, timeZone: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: timeZone)
        for format in ["yyyy/MM/dd HH:mm", "yyyy-MM-dd HH:mm", "yyyy/MM/dd", "yyyy-MM-dd"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
