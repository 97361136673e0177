import Foundation

/// A failed Jira call, with Jira's own explanation made readable.
public struct JiraError: Error, Sendable, Equatable, CustomStringConvertible {
    /// HTTP status, or 0 when no answer arrived (connection refused, timeout).
    public var status: Int
    /// What went wrong, from `errorMessages` and `errors` (or the plain-text body).
    public var message: String
    /// The method and path template of the call (no query, no ids), for logs.
    public var call: String

    public init(status: Int, message: String, call: String) {
        self.status = status
        self.message = message
        self.call = call
    }

    public var description: String {
        status == 0 ? "Jira \(call): \(message)" : "Jira \(call) answered \(status): \(message)"
    }

    /// The message in a Jira error body: `{"errorMessages": [...], "errors": {"field": "text"}}`, or
    /// plain text (cut to 300 characters), or the status's reason when the body is empty.
    public static func message(status: Int, body: Data) -> String {
        if let json = JSONValue.parse(body), json.object != nil {
            var parts = (json["errorMessages"].array ?? []).compactMap(\.string)
            for (field, value) in (json["errors"].object ?? [:]).sorted(by: { $0.key < $1.key }) {
                parts.append("\(field): \(value.string ?? value.jsonText)")
            }
            if let single = json["message"].string { parts.append(single) }
            if !parts.isEmpty { return parts.joined(separator: "; ") }
        }
        let text = String(decoding: body.prefix(2000), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty && !text.hasPrefix("<") { return String(text.prefix(300)) }
        switch status {
        case 401: return "authentication failed (check the e-mail and API token)"
        case 403: return "permission denied"
        case 404: return "not found"
        case 410: return "this API has been removed"
        case 429: return "rate limited"
        default: return "HTTP \(status)"
        }
    }
}
