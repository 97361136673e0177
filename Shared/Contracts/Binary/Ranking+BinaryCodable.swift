import Foundation
import Model
import Wire

// `Ranking` (the `scoring.v1/Rank` answer) writes and reads itself in the binary codec, with its
// written candidates (same bytes and values as their synthesized `Codable`; see `BinaryCodable`).

extension Ranking: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(candidates, forKey: "candidates")
        writer.encode(confidence, forKey: "confidence")
        writer.encode(action, forKey: "action")
        writer.encodeIfPresent(assignee, forKey: "assignee")
        writer.encode(note, forKey: "note")
        writer.encodeIfPresent(names, forKey: "names")
        writer.encodeIfPresent(written, forKey: "written")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            candidates: reader.decode([RankedCandidate].self, forKey: "candidates"),
            confidence: reader.decode(Double.self, forKey: "confidence"),
            action: reader.decode(Action.self, forKey: "action"),
            assignee: reader.decodeIfPresent(String.self, forKey: "assignee"),
            note: reader.decode(String.self, forKey: "note"))
        names = try reader.decodeIfPresent([String: String].self, forKey: "names")
        written = try reader.decodeIfPresent(CandidatesJSON.self, forKey: "written")
    }
}

extension Ranking.Action: BinaryValue {}

extension CandidatesJSON: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(bytes, forKey: "bytes")
        writer.encode(people, forKey: "people")
        writer.encode(offsets, forKey: "offsets")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(bytes: reader.decode([UInt8].self, forKey: "bytes"), people: reader.decode([String].self, forKey: "people"),
                      offsets: reader.decode([Int].self, forKey: "offsets"))
    }
}
