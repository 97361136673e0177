import Foundation

/// How much room a person has: open work weighted by effort and priority, against capacity. The one computation of a
/// person's load: the ranking's workload factor, the rebalance planner and the metrics the panel shows all use it.
public enum Workload {
    /// Default weekly capacity in points when a person has none set.
    public static let defaultCapacity = 10.0

    /// Effort of one open ticket: story points (1 when unestimated) times a priority factor, halved
    /// when nobody touched it for longer than `staleDays`.
    public static func effort(_ ticket: OpenTicket, now: Date, staleDays: Int) -> Double {
        let points = max(0.5, ticket.storyPoints ?? 1)
        let stale = now.timeIntervalSince(ticket.updated) > Double(staleDays) * 86_400
        return points * priorityFactor(ticket.priority) * (stale ? 0.5 : 1)
    }

    /// Urgent work weighs more.
    public static func priorityFactor(_ priority: String?) -> Double {
        switch priority?.lowercased() {
        case "highest", "blocker", "critical": return 1.5
        case "high", "major": return 1.25
        case "low", "minor": return 0.8
        case "lowest", "trivial": return 0.6
        default: return 1
        }
    }

    /// 1 with nothing open, falling towards 0 as open effort reaches capacity (never below 0).
    public static func value(open: [OpenTicket], person: Person, now: Date, staleDays: Int) -> (value: Double, load: Double, capacity: Double) {
        value(open: open, weeklyCapacity: person.weeklyCapacity, now: now, staleDays: staleDays)
    }

    /// A load or capacity as every place shows it (the ranking's reasons, rebalance plans; the panel's `load` in format.js
    /// writes it the same way): rounded to a tenth, half up, and without the decimal when it is a whole number ("2.5",
    /// "10").
    public static func figure(_ value: Double) -> String {
        let tenths = self.tenths(value)
        return tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(abs(tenths % 10))"
    }

    /// `value` in tenths, rounded half up (the digits ``figure(_:)`` writes).
    public static func tenths(_ value: Double) -> Int {
        Int((max(0, value) * 10).rounded(.toNearestOrAwayFromZero))
    }

    /// ``value(open:person:now:staleDays:)`` for a person with `weeklyCapacity`.
    public static func value(open: [OpenTicket], weeklyCapacity: Double?, now: Date, staleDays: Int) -> (value: Double, load: Double, capacity: Double) {
        let load = open.reduce(0) { $0 + effort($1, now: now, staleDays: staleDays) }
        let capacity = max(1, weeklyCapacity ?? defaultCapacity)
        return (max(0, 1 - load / capacity), load, capacity)
    }
}
