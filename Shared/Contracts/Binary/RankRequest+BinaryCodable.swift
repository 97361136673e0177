import Foundation
import Model
import Wire

// `scoring.v1/Rank` requests write and read themselves in the binary codec (same bytes and values as
// their synthesized `Codable`; see `BinaryCodable`): every recommendation sends one.

extension ScoringContract.RankRequest: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(ticket, forKey: "ticket")
        writer.encode(settings, forKey: "settings")
        writer.encode(people, forKey: "people")
        writer.encode(openWork, forKey: "openWork")
        writer.encode(recentEffort, forKey: "recentEffort")
        writer.encodeIfPresent(limit, forKey: "limit")
        writer.encodeIfPresent(now, forKey: "now")
        writer.encodeIfPresent(snapshot, forKey: "snapshot")
        writer.encodeIfPresent(restrictTo, forKey: "restrictTo")
        writer.encodeIfPresent(dataVersion, forKey: "dataVersion")
        writer.encodeIfPresent(writeCandidates, forKey: "writeCandidates")
        writer.encodeIfPresent(skillsJSON, forKey: "skillsJSON")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            ticket: reader.decode(Ticket.self, forKey: "ticket"),
            settings: reader.decode(ProjectSettings.self, forKey: "settings"),
            people: reader.decode([Person].self, forKey: "people"),
            openWork: reader.decode([String: [OpenTicket]].self, forKey: "openWork"),
            recentEffort: reader.decode([String: Double].self, forKey: "recentEffort"),
            limit: reader.decodeIfPresent(Int.self, forKey: "limit"),
            now: reader.decodeIfPresent(Date.self, forKey: "now"),
            snapshot: reader.decodeIfPresent(Bool.self, forKey: "snapshot"),
            restrictTo: reader.decodeIfPresent([String].self, forKey: "restrictTo"),
            dataVersion: reader.decodeIfPresent(String.self, forKey: "dataVersion"),
            writeCandidates: reader.decodeIfPresent(Bool.self, forKey: "writeCandidates"),
            skillsJSON: reader.decodeIfPresent([UInt8].self, forKey: "skillsJSON"))
    }
}

extension OpenTicket: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encodeIfPresent(storyPoints, forKey: "storyPoints")
        writer.encodeIfPresent(priority, forKey: "priority")
        writer.encode(updated, forKey: "updated")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            storyPoints: reader.decodeIfPresent(Double.self, forKey: "storyPoints"),
            priority: reader.decodeIfPresent(String.self, forKey: "priority"),
            updated: reader.decode(Date.self, forKey: "updated"))
    }
}
