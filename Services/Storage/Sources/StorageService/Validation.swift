import Contracts
import Foundation
import RPC

/// Checks of caller-supplied values, each failing with INVALID_ARGUMENT naming the field.
enum Validation {
    static let maxKeyLength = 255
    static let maxTitleLength = 4_000
    static let maxDescriptionBytes = 256 * 1024
    static let maxListEntries = 200
    static let maxNameLength = 255
    static let earliest = Date(timeIntervalSince1970: 0)
    static let latest = Date(timeIntervalSince1970: 4_102_444_800)   // 2100-01-01

    /// An identifier: tenant, project key, person id, ticket key.
    static func identifier(_ value: String, field: String, maxLength: Int = maxKeyLength) throws -> String {
        guard !value.isEmpty else { throw RPCError.invalidArgument("\(field): must not be empty") }
        guard value.utf8.count <= maxLength else { throw RPCError.invalidArgument("\(field): longer than \(maxLength) bytes") }
        // In UTF-8 a byte below 0x80 is always a whole ASCII scalar: checking bytes checks scalars.
        guard !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            throw RPCError.invalidArgument("\(field): contains control characters")
        }
        return value
    }

    /// The id of something stored and addressed by it (tenant, project, person, ticket, principal):
    /// an ``identifier(_:field:maxLength:)`` other than `.` and `..`, which paths cannot address
    /// (clients and proxies resolve them as path steps).
    static func key(_ value: String, field: String, maxLength: Int = maxKeyLength) throws -> String {
        _ = try identifier(value, field: field, maxLength: maxLength)
        guard value != ".", value != ".." else { throw RPCError.invalidArgument("\(field): `.` and `..` are not allowed") }
        return value
    }

    /// A project key: letters, digits, `_` and `.`; at most 64 characters. No `-`: a ticket key is
    /// `PROJECT-ID`, so the project of a key is what comes before its first dash.
    static func projectKey(_ value: String, field: String = "project") throws -> String {
        _ = try key(value, field: field, maxLength: 64)
        guard value.utf8.allSatisfy({ byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "_"), UInt8(ascii: "."): return true
            default: return false
            }
        }) else {
            throw RPCError.invalidArgument("\(field): only letters, digits, '_' and '.' are allowed (no '-': ticket keys are PROJECT-ID)")
        }
        return value
    }

    /// Free text with a byte limit and no NUL.
    static func text(_ value: String, field: String, maxBytes: Int) throws {
        guard value.utf8.count <= maxBytes else { throw RPCError.invalidArgument("\(field): longer than \(maxBytes) bytes") }
        guard !value.utf8.contains(0) else { throw RPCError.invalidArgument("\(field): contains NUL") }
    }

    static func list(_ values: [String], field: String) throws {
        guard values.count <= maxListEntries else { throw RPCError.invalidArgument("\(field): more than \(maxListEntries) entries") }
        for (index, value) in values.enumerated() {
            _ = try identifier(value, field: "\(field)[\(index)]")
        }
    }

    static func date(_ value: Date, field: String) throws {
        guard value.timeIntervalSince1970.isFinite, value >= earliest, value < latest else {
            throw RPCError.invalidArgument("\(field): out of range")
        }
    }

    /// Every field of a ticket.
    static func ticket(_ ticket: Ticket) throws {
        _ = try key(ticket.key, field: "key")
        _ = try projectKey(ticket.project)
        guard Ticket.key(ticket.key, belongsTo: ticket.project) else {
            throw RPCError.invalidArgument(Ticket.keyMismatch(ticket.key, project: ticket.project))
        }
        try text(ticket.title, field: "title", maxBytes: maxTitleLength)
        try text(ticket.description, field: "description", maxBytes: maxDescriptionBytes)
        try list(ticket.components, field: "components")
        try list(ticket.labels, field: "labels")
        if let priority = ticket.priority { _ = try identifier(priority, field: "priority", maxLength: 64) }
        if let points = ticket.storyPoints, !(points.isFinite && points >= 0 && points <= 10_000) {
            throw RPCError.invalidArgument("storyPoints: must be between 0 and 10000")
        }
        if let assignee = ticket.assignee { _ = try key(assignee, field: "assignee") }
        try date(ticket.created, field: "created")
        try date(ticket.updated, field: "updated")
        if let resolved = ticket.resolved { try date(resolved, field: "resolved") }
        if let problem = RequiredSkill.validationErrors(ticket.requiredSkills, field: "requiredSkills").first {
            throw RPCError.invalidArgument(problem)
        }
    }

    /// Every field of a person.
    static func person(_ person: Person) throws {
        _ = try key(person.id, field: "id")
        try text(person.displayName, field: "displayName", maxBytes: maxNameLength)
        if let zone = person.timeZone, TimeZone(identifier: zone) == nil {
            throw RPCError.invalidArgument("timeZone: unknown time zone")
        }
        if let capacity = person.weeklyCapacity, !(capacity.isFinite && capacity >= 0 && capacity <= 1000) {
            throw RPCError.invalidArgument("weeklyCapacity: must be between 0 and 1000")
        }
        guard ["points", "hours"].contains(person.capacityUnit) else {
            throw RPCError.invalidArgument("capacityUnit: must be points or hours")
        }
        if let hours = person.workingHours {
            guard clock(hours.start) != nil else { throw RPCError.invalidArgument("workingHours.start: expected HH:MM") }
            guard clock(hours.end) != nil else { throw RPCError.invalidArgument("workingHours.end: expected HH:MM") }
            guard hours.days.allSatisfy({ (1...7).contains($0) }) else {
                throw RPCError.invalidArgument("workingHours.days: days are 1 (Monday) to 7")
            }
        }
        guard person.timeOff.count <= 500 else { throw RPCError.invalidArgument("timeOff: more than 500 entries") }
        for (index, off) in person.timeOff.enumerated() {
            guard let start = day(off.start) else { throw RPCError.invalidArgument("timeOff[\(index)].start: expected YYYY-MM-DD") }
            guard let end = day(off.end) else { throw RPCError.invalidArgument("timeOff[\(index)].end: expected YYYY-MM-DD") }
            guard start <= end else { throw RPCError.invalidArgument("timeOff[\(index)]: end is before start") }
            if let reason = off.reason { try text(reason, field: "timeOff[\(index)].reason", maxBytes: 500) }
        }
        guard person.declaredSkills.count <= maxListEntries else {
            throw RPCError.invalidArgument("declaredSkills: more than \(maxListEntries) entries")
        }
        for (index, skill) in person.declaredSkills.enumerated() {
            _ = try identifier(skill.skill, field: "declaredSkills[\(index)].skill", maxLength: 100)
            guard (1...5).contains(skill.level) else {
                throw RPCError.invalidArgument("declaredSkills[\(index)].level: must be 1 to 5")
            }
        }
    }

    /// Minutes since midnight of `HH:MM`.
    static func clock(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let hours = Int(parts[0]), let minutes = Int(parts[1]), (0...24).contains(hours), (0...59).contains(minutes)
        else { return nil }
        return hours * 60 + minutes
    }

    /// The day number of `YYYY-MM-DD`, for ordering.
    static func day(_ text: String) -> Int? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1970...2100).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        return year * 10_000 + month * 100 + day
    }

    /// A page size: default 100, at most 1000.
    static func limit(_ value: Int?, default fallback: Int = 100) throws -> Int {
        guard let value else { return fallback }
        guard (1...1000).contains(value) else { throw RPCError.invalidArgument("limit: must be between 1 and 1000") }
        return value
    }
}
