import Contracts
import Foundation

/// One tenant's active people, open work per person and 30-day effort per person, as read from
/// storage at one data version. Ranking from it gives exactly what ranking from fresh listings gives
/// as long as storage's data version has not changed.
struct TenantSnapshot: Sendable {
    /// A ticket updated recently: counts towards its assignee's effort while `updated` is in the window.
    struct Effort: Sendable {
        let assignee: String
        let updated: Date
        let effort: Double
    }

    /// Effort counts for tickets updated within this many seconds.
    static let effortWindow: TimeInterval = 30 * 86_400

    let version: String
    /// The effort of tickets updated at or after this time is known (`recentTickets` were read since then); nil: all of it.
    let effortSince: Date?
    /// Active people in storage's order.
    let people: [Person]
    /// Open (to do, in progress) assigned tickets per assignee, in storage's order.
    private let openWork: [String: [OpenTicket]]
    /// The keys of `openWork`'s tickets, in the same positions.
    private let openKeys: [String: [String]]
    /// Assignee of each open ticket by key.
    private let openOwner: [String: String]
    /// Assigned tickets updated since `loaded` minus the window, in storage's order.
    private let recent: [Effort]
    /// `recent` summed per assignee, valid while no entry has left the window.
    private let recentTotals: [String: Double]
    private let oldestRecent: Date?
    private let newestRecent: Date?
    /// `openWork` and `recentTotals` of each of `people`, in the same positions (no lookups by id per request).
    private let openWorkByPerson: [[OpenTicket]]
    /// The positions in `people` of each person id.
    private let positions: [String: [Int]]
    private let recentTotalsByPerson: [Double]

    init(version: String, people: [Person], openTickets: [Ticket], recentTickets: [Ticket], effortSince: Date? = nil) {
        self.version = version
        self.effortSince = effortSince
        self.people = people
        var openWork: [String: [OpenTicket]] = [:]
        var openKeys: [String: [String]] = [:]
        var openOwner: [String: String] = [:]
        for open in openTickets {
            guard let assignee = open.assignee else { continue }
            openWork[assignee, default: []].append(OpenTicket(storyPoints: open.storyPoints, priority: open.priority, updated: open.updated))
            openKeys[assignee, default: []].append(open.key)
            openOwner[open.key] = assignee
        }
        self.openWork = openWork
        self.openKeys = openKeys
        self.openOwner = openOwner
        recent = recentTickets.compactMap { item in
            item.assignee.map { Effort(assignee: $0, updated: item.updated, effort: max(0.5, item.storyPoints ?? 1)) }
        }
        let totals = TenantSnapshot.totals(recent)
        recentTotals = totals
        oldestRecent = recent.map(\.updated).min()
        newestRecent = recent.map(\.updated).max()
        openWorkByPerson = people.map { openWork[$0.id] ?? [] }
        var positions: [String: [Int]] = [:]
        for (index, person) in people.enumerated() { positions[person.id, default: []].append(index) }
        self.positions = positions
        recentTotalsByPerson = people.map { totals[$0.id] ?? 0 }
    }

    /// The open work of each of `people` by position, without the ticket `key`: what ``openWork(excluding:)``
    /// gives each of them (the ticket's assignee's list is the only one that differs).
    struct OpenWorkByPerson {
        let base: [[OpenTicket]]
        let owners: [Int]
        let kept: [OpenTicket]
        subscript(index: Int) -> [OpenTicket] { owners.contains(index) ? kept : base[index] }
    }

    func openWorkByPerson(excluding key: String) -> OpenWorkByPerson {
        guard let owner = openOwner[key], let keys = openKeys[owner], let work = openWork[owner] else {
            return OpenWorkByPerson(base: openWorkByPerson, owners: [], kept: [])
        }
        let kept = zip(keys, work).filter { $0.0 != key }.map(\.1)
        return OpenWorkByPerson(base: openWorkByPerson, owners: positions[owner] ?? [], kept: kept)
    }

    /// Whether the snapshot knows the effort of every ticket updated at or after `cutoff`.
    func knowsEffort(since cutoff: Date) -> Bool { effortSince.map { $0 <= cutoff } ?? true }

    /// The effort of each of `people` (same positions): what ``recentEffort(since:until:)`` gives each of them.
    func recentEffortByPerson(since cutoff: Date, until end: Date? = nil) -> [Double] {
        guard !isWhole(since: cutoff, until: end) else { return recentTotalsByPerson }
        let totals = recentEffort(since: cutoff, until: end)
        return people.map { totals[$0.id] ?? 0 }
    }

    /// Open work per assignee without the ticket `key` (the ticket being ranked is not its own load).
    func openWork(excluding key: String) -> [String: [OpenTicket]] {
        guard let owner = openOwner[key], let keys = openKeys[owner], let work = openWork[owner] else { return openWork }
        var result = openWork
        let kept = zip(keys, work).filter { $0.0 != key }.map(\.1)
        result[owner] = kept.isEmpty ? nil : kept
        return result
    }

    /// Effort per assignee of the tickets updated at or after `cutoff` (which must not be earlier than
    /// the cutoff the snapshot was loaded with, ``knowsEffort(since:)``) and, when `end` is given, not after it.
    func recentEffort(since cutoff: Date, until end: Date? = nil) -> [String: Double] {
        guard !isWhole(since: cutoff, until: end) else { return recentTotals }
        return TenantSnapshot.totals(recent.filter { item in item.updated >= cutoff && end.map { item.updated <= $0 } ?? true })
    }

    /// Whether every entry of `recent` is in the window (the totals are then the precomputed ones).
    private func isWhole(since cutoff: Date, until end: Date?) -> Bool {
        guard let oldestRecent, let newestRecent else { return true }
        return oldestRecent >= cutoff && end.map { newestRecent <= $0 } ?? true
    }

    private static func totals(_ items: [Effort]) -> [String: Double] {
        var totals: [String: Double] = [:]
        for item in items { totals[item.assignee, default: 0] += item.effort }
        return totals
    }
}
