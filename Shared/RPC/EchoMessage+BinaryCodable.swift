import Foundation
import Wire

// The echo message writes and reads itself (same bytes as its synthesized `Codable`): it is what the
// RPC benchmarks measure.

extension EchoMessage: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(key, forKey: "key")
        writer.encode(project, forKey: "project")
        writer.encode(title, forKey: "title")
        writer.encode(description, forKey: "description")
        writer.encode(components, forKey: "components")
        writer.encode(labels, forKey: "labels")
        writer.encodeIfPresent(priority, forKey: "priority")
        writer.encodeIfPresent(storyPoints, forKey: "storyPoints")
        writer.encode(created, forKey: "created")
        writer.encode(skills, forKey: "skills")
        writer.encode(attributes, forKey: "attributes")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        key = try reader.decode(String.self, forKey: "key")
        project = try reader.decode(String.self, forKey: "project")
        title = try reader.decode(String.self, forKey: "title")
        description = try reader.decode(String.self, forKey: "description")
        components = try reader.decode([String].self, forKey: "components")
        labels = try reader.decode([String].self, forKey: "labels")
        priority = try reader.decodeIfPresent(String.self, forKey: "priority")
        storyPoints = try reader.decodeIfPresent(Double.self, forKey: "storyPoints")
        created = try reader.decode(Date.self, forKey: "created")
        skills = try reader.decode([Skill].self, forKey: "skills")
        attributes = try reader.decode([String: String].self, forKey: "attributes")
    }
}

extension EchoMessage.Skill: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(name, forKey: "name")
        writer.encode(weight, forKey: "weight")
        writer.encode(source, forKey: "source")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        name = try reader.decode(String.self, forKey: "name")
        weight = try reader.decode(Double.self, forKey: "weight")
        source = try reader.decode(String.self, forKey: "source")
    }
}
