import Foundation
import Model
import Wire

// `Person` writes and reads itself in the binary codec (same bytes and values as its synthesized
// `Codable`; see `BinaryCodable`): Rank requests without a snapshot carry every candidate.

extension Person: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(id, forKey: "id")
        writer.encode(displayName, forKey: "displayName")
        writer.encodeIfPresent(timeZone, forKey: "timeZone")
        writer.encodeIfPresent(weeklyCapacity, forKey: "weeklyCapacity")
        writer.encode(capacityUnit, forKey: "capacityUnit")
        writer.encodeIfPresent(workingHours, forKey: "workingHours")
        writer.encode(timeOff, forKey: "timeOff")
        writer.encode(declaredSkills, forKey: "declaredSkills")
        writer.encode(active, forKey: "active")
        writer.encode(optedOut, forKey: "optedOut")
        writer.encode(assignable, forKey: "assignable")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            id: reader.decode(String.self, forKey: "id"),
            displayName: reader.decode(String.self, forKey: "displayName"),
            timeZone: reader.decodeIfPresent(String.self, forKey: "timeZone"),
            weeklyCapacity: reader.decodeIfPresent(Double.self, forKey: "weeklyCapacity"),
            capacityUnit: reader.decode(String.self, forKey: "capacityUnit"),
            workingHours: reader.decodeIfPresent(WorkingHours.self, forKey: "workingHours"),
            timeOff: reader.decode([TimeOff].self, forKey: "timeOff"),
            declaredSkills: reader.decode([DeclaredSkill].self, forKey: "declaredSkills"),
            active: reader.decode(Bool.self, forKey: "active"),
            optedOut: reader.decode(Bool.self, forKey: "optedOut"),
            assignable: reader.decode(Bool.self, forKey: "assignable"))
    }
}

extension Person.DeclaredSkill: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(skill, forKey: "skill")
        writer.encode(level, forKey: "level")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            skill: reader.decode(String.self, forKey: "skill"),
            level: reader.decode(Int.self, forKey: "level"))
    }
}

extension Person.WorkingHours: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(start, forKey: "start")
        writer.encode(end, forKey: "end")
        writer.encode(days, forKey: "days")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            start: reader.decode(String.self, forKey: "start"),
            end: reader.decode(String.self, forKey: "end"),
            days: reader.decode([Int].self, forKey: "days"))
    }
}

extension Person.TimeOff: BinaryCodable {
    public func encode(to writer: inout BinaryKeyedWriter) {
        writer.encode(start, forKey: "start")
        writer.encode(end, forKey: "end")
        writer.encodeIfPresent(reason, forKey: "reason")
    }

    public init(from reader: inout BinaryKeyedReader) throws {
        try self.init(
            start: reader.decode(String.self, forKey: "start"),
            end: reader.decode(String.self, forKey: "end"),
            reason: reader.decodeIfPresent(String.self, forKey: "reason"))
    }
}
