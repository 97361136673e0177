import Foundation
import Model
import Wire

// `Project` and its settings write and read themselves in the binary codec (same bytes and values as
// their synthesized `Codable`; see `BinaryCodable`). They travel in GetTicketContext answers and Rank
// requests.

extension Project: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(key, forKey: "key")
        writer.encode(name, forKey: "name")
        writer.encode(settings, forKey: "settings")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            key: reader.decode(String.self, forKey: "key"),
            name: reader.decode(String.self, forKey: "name"),
            settings: reader.decode(ProjectSettings.self, forKey: "settings"))
    }
}

extension ProjectSettings: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(weights, forKey: "weights")
        writer.encode(autoAssign, forKey: "autoAssign")
        writer.encode(confidenceThreshold, forKey: "confidenceThreshold")
        writer.encode(staleDays, forKey: "staleDays")
        writer.encode(candidatePool, forKey: "candidatePool")
        writer.encodeIfPresent(defaultAssignee, forKey: "defaultAssignee")
        writer.encodeIfPresent(requiredSkills, forKey: "requiredSkills")
        writer.encodeIfPresent(explainInJira, forKey: "explainInJira")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            weights: reader.decode([String: Double].self, forKey: "weights"),
            autoAssign: reader.decode(Bool.self, forKey: "autoAssign"),
            confidenceThreshold: reader.decode(Double.self, forKey: "confidenceThreshold"),
            staleDays: reader.decode(Int.self, forKey: "staleDays"),
            candidatePool: reader.decode(String.self, forKey: "candidatePool"),
            defaultAssignee: reader.decodeIfPresent(String.self, forKey: "defaultAssignee"),
            requiredSkills: reader.decodeIfPresent([RequiredSkill].self, forKey: "requiredSkills"),
            explainInJira: reader.decodeIfPresent(Bool.self, forKey: "explainInJira"))
    }
}
