import Foundation
import Model
import Wire

// `Decision` and its ranked candidates write and read themselves in the binary codec (same bytes and
// values as their synthesized `Codable`; see `BinaryCodable`): AppendDecision, ListDecisions.

extension Decision: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(id, forKey: "id")
        writer.encode(ticket, forKey: "ticket")
        writer.encode(project, forKey: "project")
        writer.encode(mode, forKey: "mode")
        writer.encodeIfPresent(chosen, forKey: "chosen")
        writer.encodeIfPresent(previous, forKey: "previous")
        writer.encode(candidates, forKey: "candidates")
        writer.encode(actor, forKey: "actor")
        writer.encode(at, forKey: "at")
        writer.encodeIfPresent(reason, forKey: "reason")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            id: reader.decode(Int64.self, forKey: "id"),
            ticket: reader.decode(String.self, forKey: "ticket"),
            project: reader.decode(String.self, forKey: "project"),
            mode: reader.decode(Mode.self, forKey: "mode"),
            chosen: reader.decodeIfPresent(String.self, forKey: "chosen"),
            previous: reader.decodeIfPresent(String.self, forKey: "previous"),
            candidates: reader.decode([RankedCandidate].self, forKey: "candidates"),
            actor: reader.decode(String.self, forKey: "actor"),
            at: reader.decode(Date.self, forKey: "at"),
            reason: reader.decodeIfPresent(String.self, forKey: "reason"))
    }
}

extension Decision.Mode: BinaryValue {}

extension RankedCandidate: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(person, forKey: "person")
        writer.encode(score, forKey: "score")
        writer.encode(factors, forKey: "factors")
        writer.encode(reasons, forKey: "reasons")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            person: reader.decode(String.self, forKey: "person"),
            score: reader.decode(Double.self, forKey: "score"),
            factors: reader.decode([String: Factor].self, forKey: "factors"),
            reasons: reader.decode([String].self, forKey: "reasons"))
    }
}

extension RankedCandidate.Factor: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(value, forKey: "value")
        writer.encode(weight, forKey: "weight")
        writer.encode(contribution, forKey: "contribution")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            value: reader.decode(Double.self, forKey: "value"),
            weight: reader.decode(Double.self, forKey: "weight"),
            contribution: reader.decode(Double.self, forKey: "contribution"))
    }
}
