import Foundation
import Model
import TextKit

/// An issue from search, `GET issue` or a webhook, parsed from either API version: `v3` descriptions
/// are Atlassian Document Format, `v2` ones (and webhooks) wiki markup.
public struct JiraIssue: Sendable, Equatable {
    public var id: String
    public var key: String
    public var project: String
    public var projectName: String?
    public var summary: String
    /// Plain text (from ADF) or wiki markup; nil when the description is empty or was not sent.
    public var description: String?
    /// Whether the answer carried the description field at all (Forge events do not).
    public var hasDescriptionField: Bool
    public var components: [String]
    public var labels: [String]
    public var priority: String?
    public var storyPoints: Double?
    public var status: Ticket.Status
    public var assignee: JiraUser?
    public var created: Date?
    public var updated: Date?
    public var resolved: Date?
    /// The whole changelog when the answer carried it (`expand=changelog`) and it was complete; nil
    /// otherwise (then `GET /issue/{key}/changelog` has it).
    public var changelog: [JiraChangelogEntry]?

    /// The largest description kept (storage's limit).
    static let maxDescriptionBytes = 256 * 1024
    /// ADF to text (built once: it prepares lookup tables).
    static let extractor = TextExtractor(maxBytes: maxDescriptionBytes * 2)

    /// Parses an issue object; nil without a key or project.
    public init?(json: JSONValue, storyPointsField: String?) {
        let fields = json["fields"]
        guard let key = json["key"].string, !key.isEmpty else { return nil }
        let projectKey = fields["project"]["key"].string ?? key.split(separator: "-").dropLast().joined(separator: "-")
        guard !projectKey.isEmpty else { return nil }
        id = json["id"].string ?? ""
        self.key = key
        project = projectKey
        projectName = fields["project"]["name"].string
        summary = fields["summary"].string ?? ""
        hasDescriptionField = fields.object?.keys.contains("description") ?? false
        description = JiraIssue.text(of: fields["description"])
        components = (fields["components"].array ?? []).compactMap { $0["name"].string }
        labels = (fields["labels"].array ?? []).compactMap(\.string)
        priority = fields["priority"]["name"].string
        storyPoints = storyPointsField.flatMap { fields[$0].number }
        switch fields["status"]["statusCategory"]["key"].string {
        case "done": status = .done
        case "indeterminate": status = .inProgress
        default: status = .todo
        }
        assignee = JiraUser(json: fields["assignee"])
        created = fields["created"].string.flatMap(ISO8601.parse)
        updated = fields["updated"].string.flatMap(ISO8601.parse)
        resolved = fields["resolutiondate"].string.flatMap(ISO8601.parse)
        if let histories = json["changelog"]["histories"].array {
            let entries = histories.compactMap(JiraChangelogEntry.init(json:))
            let total = json["changelog"]["total"].number.map(Int.init) ?? entries.count
            changelog = total <= entries.count ? entries : nil
        }
    }

    /// A description as text: ADF through the shared text extractor (TextKit), wiki markup as it is.
    static func text(of description: JSONValue) -> String? {
        let text: String
        switch description {
        case .string(let markup): text = markup
        case .object:
            text = extractor.extract(description.jsonText).text
        default: return nil
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        guard trimmed.utf8.count > maxDescriptionBytes else { return trimmed }
        var cut = String(decoding: trimmed.utf8.prefix(maxDescriptionBytes), as: UTF8.self)
        while cut.utf8.count > maxDescriptionBytes || cut.hasSuffix("\u{FFFD}") { cut.removeLast() }
        return cut
    }

    /// The ticket SmartTicket keeps for this issue.
    public var ticket: Ticket {
        let created = created ?? updated ?? Date()
        let resolved = status == .done ? (resolved ?? updated ?? created) : nil
        return Ticket(key: key, project: project, title: String(summary.prefix(4000)), description: description ?? "",
                      components: Array(components.prefix(200)), labels: Array(labels.prefix(200)), priority: priority,
                      storyPoints: storyPoints, status: status, assignee: assignee?.accountId, created: created,
                      updated: max(updated ?? created, created), resolved: resolved)
    }
}
