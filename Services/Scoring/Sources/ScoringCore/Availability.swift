import Foundation
import Model

/// Whether a person can work on the ticket soon: time off, and working hours for urgent tickets.
public enum Availability {
    /// The result for one person.
    public struct Result: Sendable, Equatable {
        /// 0...1: the share of the expected working window the person is available.
        public var value: Double
        /// On leave today: never auto-assigned.
        public var awayToday: Bool
        /// The day the current or next absence in the window ends (for reasons).
        public var backOn: String?
        /// Urgent ticket and the person is outside working hours now.
        public var offHours: Bool
    }

    /// Days a ticket is expected to take from now, by priority (urgent work is needed sooner).
    public static func expectedDays(_ ticket: Ticket) -> Int {
        switch ticket.priority?.lowercased() {
        case "highest", "blocker", "critical": return 2
        case "high", "major": return 3
        case "low", "minor", "lowest", "trivial": return 10
        default: return 5
        }
    }

    public static func evaluate(_ person: Person, ticket: Ticket, now: Date) -> Result {
        // Nothing entered: fully available (the common case, and the only one in replays).
        if person.timeOff.isEmpty && person.workingHours == nil { return plain(active: person.active) }
        let zone = person.timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let window = expectedDays(ticket)
        var availableDays = 0
        var awayToday = false
        var backOn: String?
        for offset in 0..<window {
            guard let day = calendar.date(byAdding: .day, value: offset, to: now) else { continue }
            let key = dayKey(day, calendar)
            if let off = person.timeOff.first(where: { $0.start <= key && key <= $0.end }) {
                if offset == 0 { awayToday = true }
                if backOn == nil { backOn = off.end }
            } else {
                availableDays += 1
            }
        }
        var value = Double(availableDays) / Double(window)
        var offHours = false
        let urgent = expectedDays(ticket) <= 3
        if urgent, let hours = person.workingHours, !awayToday, !isWorking(now, hours: hours, calendar: calendar) {
            offHours = true
            value *= 0.5
        }
        if !person.active { value = 0 }
        return Result(value: value, awayToday: awayToday || !person.active, backOn: backOn, offHours: offHours)
    }

    /// The result for a person without time off or working hours.
    static func plain(active: Bool) -> Result {
        Result(value: active ? 1 : 0, awayToday: !active, backOn: nil, offHours: false)
    }

    static func dayKey(_ date: Date, _ calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    static func isWorking(_ date: Date, hours: Person.WorkingHours, calendar: Calendar) -> Bool {
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        let isoWeekday = ((parts.weekday ?? 1) + 5) % 7 + 1   // Monday = 1 ... Sunday = 7
        guard hours.days.contains(isoWeekday) else { return false }
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        func minutes(_ text: String) -> Int {
            let pieces = text.split(separator: ":").compactMap { Int($0) }
            return pieces.count == 2 ? pieces[0] * 60 + pieces[1] : 0
        }
        return minutes(hours.start) <= minute && minute < minutes(hours.end)
    }
}
