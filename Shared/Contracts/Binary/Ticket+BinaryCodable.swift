import Foundation
import Model
import Wire

// `Ticket` writes and reads itself in the binary codec: the same bytes and values as its synthesized
// `Codable` (see `BinaryCodable`). It travels in GetTicketContext answers and Rank requests.

extension Ticket: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(key, forKey: "key")
        writer.encode(project, forKey: "project")
        writer.encode(title, forKey: "title")
        writer.encode(description, forKey: "description")
        writer.encode(components, forKey: "components")
        writer.encode(labels, forKey: "labels")
        writer.encodeIfPresent(priority, forKey: "priority")
        writer.encodeIfPresent(storyPoints, forKey: "storyPoints")
        writer.encode(status, forKey: "status")
        writer.encodeIfPresent(assignee, forKey: "assignee")
        writer.encode(created, forKey: "created")
        writer.encode(updated, forKey: "updated")
        writer.encodeIfPresent(resolved, forKey: "resolved")
        writer.encodeIfPresent(requiredSkills, forKey: "requiredSkills")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            key: reader.decode(String.self, forKey: "key"),
            project: reader.decode(String.self, forKey: "project"),
            title: reader.decode(String.self, forKey: "title"),
            description: reader.decode(String.self, forKey: "description"),
            components: reader.decode([String].self, forKey: "components"),
            labels: reader.decode([String].self, forKey: "labels"),
            priority: reader.decodeIfPresent(String.self, forKey: "priority"),
            storyPoints: reader.decodeIfPresent(Double.self, forKey: "storyPoints"),
            status: reader.decode(Status.self, forKey: "status"),
            assignee: reader.decodeIfPresent(String.self, forKey: "assignee"),
            created: reader.decode(Date.self, forKey: "created"),
            updated: reader.decode(Date.self, forKey: "updated"),
            resolved: reader.decodeIfPresent(Date.self, forKey: "resolved"),
            requiredSkills: reader.decodeIfPresent([RequiredSkill].self, forKey: "requiredSkills"))
    }
}

extension Ticket.Status: BinaryValue {}

extension RequiredSkill: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(skill, forKey: "skill")
        writer.encode(minLevel, forKey: "minLevel")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(skill: reader.decode(String.self, forKey: "skill"), minLevel: reader.decode(Int.self, forKey: "minLevel"))
    }
}
