import Foundation
import Model
import Wire

// `Ranking` (the `scoring.v1/Rank` answer) writes and reads itself in the binary codec, with its
// packed candidates (same bytes and values as their synthesized `Codable`; see `BinaryCodable`).

extension Ranking: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(candidates, forKey: "candidates")
        writer.encode(confidence, forKey: "confidence")
        writer.encode(action, forKey: "action")
        writer.encodeIfPresent(assignee, forKey: "assignee")
        writer.encode(note, forKey: "note")
        writer.encodeIfPresent(names, forKey: "names")
        writer.encodeIfPresent(packed, forKey: "packed")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            candidates: reader.decode([RankedCandidate].self, forKey: "candidates"),
            confidence: reader.decode(Double.self, forKey: "confidence"),
            action: reader.decode(Action.self, forKey: "action"),
            assignee: reader.decodeIfPresent(String.self, forKey: "assignee"),
            note: reader.decode(String.self, forKey: "note"))
        names = try reader.decodeIfPresent([String: String].self, forKey: "names")
        packed = try reader.decodeIfPresent(PackedCandidates.self, forKey: "packed")
    }
}

extension Ranking.Action: BinaryValue {}

extension PackedCandidates: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(strings, forKey: "strings")
        writer.encode(numbers, forKey: "numbers")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        // No memberwise initializer: start from no candidates and set both fields.
        self.init([])
        strings = try reader.decode([String].self, forKey: "strings")
        numbers = try reader.decode([UInt8].self, forKey: "numbers")
    }
}
