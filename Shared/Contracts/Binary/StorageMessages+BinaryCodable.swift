import Foundation
import Model
import Wire

// The small storage messages of a recommendation and of the decision log write and read themselves
// in the binary codec (same bytes and values as their synthesized `Codable`; see `BinaryCodable`):
// AppendDecisionRecord and its answer, PutTicketSkills and its empty answer, ListDecisions.

extension StorageContract.DecisionRecord: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(ticket, forKey: "ticket")
        writer.encode(project, forKey: "project")
        writer.encode(mode, forKey: "mode")
        writer.encodeIfPresent(chosen, forKey: "chosen")
        writer.encodeIfPresent(previous, forKey: "previous")
        writer.encode(candidatesJSON, forKey: "candidatesJSON")
        writer.encode(actor, forKey: "actor")
        writer.encode(at, forKey: "at")
        writer.encodeIfPresent(reason, forKey: "reason")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            ticket: reader.decode(String.self, forKey: "ticket"),
            project: reader.decode(String.self, forKey: "project"),
            mode: reader.decode(Decision.Mode.self, forKey: "mode"),
            chosen: reader.decodeIfPresent(String.self, forKey: "chosen"),
            previous: reader.decodeIfPresent(String.self, forKey: "previous"),
            candidatesJSON: reader.decode([UInt8].self, forKey: "candidatesJSON"),
            actor: reader.decode(String.self, forKey: "actor"),
            at: reader.decode(Date.self, forKey: "at"),
            reason: reader.decodeIfPresent(String.self, forKey: "reason"))
    }
}

extension StorageContract.DecisionID: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(id, forKey: "id")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(id: reader.decode(Int64.self, forKey: "id"))
    }
}

extension StorageContract.TicketSkills: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(ticket, forKey: "ticket")
        writer.encode(skills, forKey: "skills")
        writer.encode(contentHash, forKey: "contentHash")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            ticket: reader.decode(String.self, forKey: "ticket"),
            skills: reader.decode([DetectedSkill].self, forKey: "skills"),
            contentHash: reader.decode(String.self, forKey: "contentHash"))
    }
}

/// No entries: an empty keyed container, as `Codable` writes a value that encodes nothing.
extension StorageContract.Empty: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {}

    public init(from reader: inout BinaryKeyedReader) throws {
        self.init()
    }
}

extension StorageContract.ListDecisionsRequest: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encodeIfPresent(ticket, forKey: "ticket")
        writer.encodeIfPresent(project, forKey: "project")
        writer.encodeIfPresent(cursor, forKey: "cursor")
        writer.encodeIfPresent(limit, forKey: "limit")
        writer.encodeIfPresent(newestFirst, forKey: "newestFirst")
        writer.encodeIfPresent(modes, forKey: "modes")
        writer.encodeIfPresent(afterID, forKey: "afterID")
        writer.encodeIfPresent(beforeID, forKey: "beforeID")
        writer.encodeIfPresent(person, forKey: "person")
        writer.encodeIfPresent(since, forKey: "since")
        writer.encodeIfPresent(withoutCandidates, forKey: "withoutCandidates")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            ticket: reader.decodeIfPresent(String.self, forKey: "ticket"),
            project: reader.decodeIfPresent(String.self, forKey: "project"),
            cursor: reader.decodeIfPresent(String.self, forKey: "cursor"),
            limit: reader.decodeIfPresent(Int.self, forKey: "limit"),
            newestFirst: reader.decodeIfPresent(Bool.self, forKey: "newestFirst"),
            modes: reader.decodeIfPresent([Decision.Mode].self, forKey: "modes"),
            afterID: reader.decodeIfPresent(Int64.self, forKey: "afterID"),
            beforeID: reader.decodeIfPresent(Int64.self, forKey: "beforeID"),
            person: reader.decodeIfPresent(String.self, forKey: "person"),
            since: reader.decodeIfPresent(Date.self, forKey: "since"),
            withoutCandidates: reader.decodeIfPresent(Bool.self, forKey: "withoutCandidates"))
    }
}
