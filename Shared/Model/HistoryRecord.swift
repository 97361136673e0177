import Foundation

/// One line of a ticket-history JSONL file (see docs/ticket-history.md). Unknown fields are ignored.
public struct HistoryRecord: Sendable, Equatable {
    public var key: String
    public var project: String
    public var title: String
    public var description: String
    public var components: [String]
    public var labels: [String]
    public var assignee: String?
    public var created: Date
    public var resolved: Date?
    public var status: Ticket.Status
    public var priority: String?
    public var storyPoints: Double?

    public init(key: String, project: String, title: String, description: String = "", components: [String] = [],
                labels: [String] = [], assignee: String? = nil, created: Date, resolved: Date? = nil,
                status: Ticket.Status = .done, priority: String? = nil, storyPoints: Double? = nil) {
        self.key = key
        self.project = project
        self.title = title
        self.description = description
        self.components = components
        self.labels = labels
        self.assignee = assignee
        self.created = created
        self.resolved = resolved
        self.status = status
        self.priority = priority
        self.storyPoints = storyPoints
    }

    /// The record as a stored ticket.
    public var ticket: Ticket {
        Ticket(key: key, project: project, title: title, description: description, components: components, labels: labels,
               priority: priority, storyPoints: storyPoints, status: status, assignee: assignee, created: created,
               updated: resolved ?? created, resolved: resolved)
    }
}

extension HistoryRecord: Decodable {
    private enum CodingKeys: String, CodingKey {
        case key, project, title, description, components, labels, assignee, created, resolved, status, priority, storyPoints
    }

    /// Why a line is not a valid record, naming the field.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func string(_ key: CodingKeys) throws -> String {
            guard let value = try? container.decode(String.self, forKey: key) else {
                throw Invalid(description: container.contains(key) ? "\(key.stringValue): expected a string" : "\(key.stringValue): missing")
            }
            return value
        }
        func date(_ key: CodingKeys) throws -> Date? {
            guard container.contains(key), !((try? container.decodeNil(forKey: key)) ?? false) else { return nil }
            guard let text = try? container.decode(String.self, forKey: key) else {
                throw Invalid(description: "\(key.stringValue): expected an ISO 8601 date as a string, e.g. \(ISO8601Problem.example)")
            }
            guard let date = ISO8601.parse(text) else {
                throw Invalid(description: "\(key.stringValue): \(ISO8601Problem.describe(text) ?? "unreadable date")")
            }
            return date
        }
        func strings(_ key: CodingKeys) throws -> [String] {
            guard container.contains(key), !((try? container.decodeNil(forKey: key)) ?? false) else { return [] }
            guard let values = try? container.decode([String].self, forKey: key) else {
                throw Invalid(description: "\(key.stringValue): expected a list of strings")
            }
            return values
        }
        key = try string(.key)
        project = try string(.project)
        title = try string(.title)
        description = (try? container.decodeIfPresent(String.self, forKey: .description)) ?? ""
        components = try strings(.components)
        labels = try strings(.labels)
        // An empty assignee means unassigned.
        assignee = (try? container.decodeIfPresent(String.self, forKey: .assignee)).flatMap { $0?.isEmpty == false ? $0 : nil }
        guard let created = try date(.created) else { throw Invalid(description: "created: missing") }
        self.created = created
        resolved = try date(.resolved)
        if container.contains(.status) {
            let text = try string(.status)
            guard let status = Ticket.Status(rawValue: text) else {
                throw Invalid(description: "status: expected todo, in_progress or done")
            }
            self.status = status
        } else {
            status = resolved == nil ? .todo : .done
        }
        priority = try? container.decodeIfPresent(String.self, forKey: .priority)
        if container.contains(.storyPoints), !((try? container.decodeNil(forKey: .storyPoints)) ?? false) {
            guard let points = try? container.decode(Double.self, forKey: .storyPoints) else {
                throw Invalid(description: "storyPoints: expected a number")
            }
            storyPoints = points
        }
    }
}
