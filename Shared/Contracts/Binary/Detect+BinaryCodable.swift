import Foundation
import Model
import Wire

// `skills.v1/Detect` messages and the detected skills write and read themselves in the binary codec
// (same bytes and values as their synthesized `Codable`; see `BinaryCodable`).

extension SkillsContract.DetectRequest: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(title, forKey: "title")
        writer.encode(description, forKey: "description")
        writer.encode(components, forKey: "components")
        writer.encode(labels, forKey: "labels")
        writer.encodeIfPresent(useModel, forKey: "useModel")
        writer.encodeIfPresent(dataVersion, forKey: "dataVersion")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            title: reader.decode(String.self, forKey: "title"),
            description: reader.decode(String.self, forKey: "description"),
            components: reader.decode([String].self, forKey: "components"),
            labels: reader.decode([String].self, forKey: "labels"),
            useModel: reader.decodeIfPresent(Bool.self, forKey: "useModel"),
            dataVersion: reader.decodeIfPresent(String.self, forKey: "dataVersion"))
    }
}

extension SkillsContract.DetectResponse: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(skills, forKey: "skills")
        writer.encode(source, forKey: "source")
        writer.encodeIfPresent(modelError, forKey: "modelError")
        writer.encode(contentHash, forKey: "contentHash")
        writer.encode(cached, forKey: "cached")
        writer.encodeIfPresent(vocabulary, forKey: "vocabulary")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            skills: reader.decode([DetectedSkill].self, forKey: "skills"),
            source: reader.decode(String.self, forKey: "source"),
            modelError: reader.decodeIfPresent(String.self, forKey: "modelError"),
            contentHash: reader.decode(String.self, forKey: "contentHash"),
            cached: reader.decode(Bool.self, forKey: "cached"),
            vocabulary: reader.decodeIfPresent(String.self, forKey: "vocabulary"))
    }
}

extension DetectedSkill: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(name, forKey: "name")
        writer.encode(weight, forKey: "weight")
        writer.encode(source, forKey: "source")
        writer.encode(evidence, forKey: "evidence")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            name: reader.decode(String.self, forKey: "name"),
            weight: reader.decode(Double.self, forKey: "weight"),
            source: reader.decode(Source.self, forKey: "source"),
            evidence: reader.decode([String].self, forKey: "evidence"))
    }
}

extension DetectedSkill.Source: BinaryValue {}
