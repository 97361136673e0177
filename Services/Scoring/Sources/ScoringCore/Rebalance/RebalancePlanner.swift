import Foundation
import Model

/// Plans reassignments for a project's open backlog: tickets of people who are away (on leave for
/// most of the ticket's expected window, or inactive) move first, then overloaded people hand over
/// not-yet-started work until they are back within capacity.
///
/// Rules: only people `candidates` ranks can receive work (the scoring service ranks only Jira's
/// assignable people for a project synced with Jira, as for recommendations); nobody receives work
/// while away, inactive or opted out of automatic assignment; nobody is pushed over capacity by a move; among those who fit, the best-ranked person for the ticket wins;
/// the fewest tickets move (overload sheds the largest unstarted tickets first, and nothing moves
/// that does not have to). Pure: rankings come from `candidates`, time from `now`.
public enum RebalancePlanner {
    /// Share of the ticket's expected window a person must be available for to keep or receive it.
    public static let minimumAvailability = 0.5

    /// The plan for `tickets` (the project's open tickets; unassigned and done ones are ignored).
    ///
    /// - Parameters:
    ///   - people: everyone who may appear as an assignee (inactive people too).
    ///   - openWork: each person's open tickets in every project (for load against capacity).
    ///   - candidates: the ranked candidates for a ticket, best first; asked only for tickets that must move.
    public static func plan(tickets: [Ticket], people: [Person], openWork: [String: [OpenTicket]], staleDays: Int, now: Date,
                            candidates: (Ticket) async -> [RebalanceCandidate]) async -> RebalancePlan {
        let byID = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var ledger = LoadLedger(people: byID, openWork: openWork, staleDays: staleDays, now: now)
        var plan = RebalancePlan()
        let open = tickets.filter { $0.status != .done && $0.assignee != nil && byID[$0.assignee!] != nil }
            .sorted(by: urgentFirst)

        // 1. Work held by people who cannot do it soon.
        var moved = Set<String>()
        for ticket in open {
            let owner = byID[ticket.assignee!]!
            guard let cause = awayCause(owner, ticket: ticket, now: now) else { continue }
            if let move = await place(ticket, from: owner, cause: cause, people: byID, ledger: &ledger, now: now, candidates: candidates) {
                plan.moves.append(move)
                moved.insert(ticket.key)
            } else {
                plan.unresolved.append(.init(ticket: ticket.key, from: owner.id, reason: "\(cause); nobody available has room for it"))
            }
        }

        // 2. Overloaded people shed unstarted work, largest first, until within capacity.
        let overloaded = byID.values.filter { ledger.overload($0.id) > 0 && awayCause($0, ticket: nil, now: now) == nil }
            .sorted { ledger.overload($0.id) != ledger.overload($1.id) ? ledger.overload($0.id) > ledger.overload($1.id) : $0.id < $1.id }
        for owner in overloaded {
            let sheddable = open.filter { $0.assignee == owner.id && $0.status == .todo && !moved.contains($0.key) }
                .sorted { ledger.effort($0) != ledger.effort($1) ? ledger.effort($0) > ledger.effort($1) : $0.key < $1.key }
            for ticket in sheddable where ledger.overload(owner.id) > 0 {
                let cause = String(format: "%@ has %@ of %@ %@ of open work (over capacity)", owner.displayName,
                                   number(ledger.load(owner.id)), number(ledger.capacity(owner.id)), owner.capacityUnit)
                if let move = await place(ticket, from: owner, cause: cause, people: byID, ledger: &ledger, now: now, candidates: candidates) {
                    plan.moves.append(move)
                    moved.insert(ticket.key)
                }
            }
            if ledger.overload(owner.id) > 0 {
                plan.unresolved.append(.init(ticket: nil, from: owner.id, reason: String(
                    format: "%@ stays over capacity (%@ of %@ %@): nobody available has room for more of their unstarted work",
                    owner.displayName, number(ledger.load(owner.id)), number(ledger.capacity(owner.id)), owner.capacityUnit)))
            }
        }
        return plan
    }

    /// Why `person` cannot keep work (away for most of the ticket's window, or inactive); nil when they can.
    static func awayCause(_ person: Person, ticket: Ticket?, now: Date) -> String? {
        if !person.active { return "\(person.displayName) is inactive" }
        let probe = ticket ?? Ticket(key: "", project: "", title: "", created: now)
        let availability = Availability.evaluate(person, ticket: probe, now: now)
        guard availability.awayToday || availability.value < minimumAvailability else { return nil }
        let until = availability.backOn.map { " until \($0)" } ?? ""
        return availability.awayToday ? "\(person.displayName) is away\(until)" : "\(person.displayName) is away for most of the next days\(until)"
    }

    /// The best-ranked person who can take `ticket` now with room for it; records the move in `ledger`.
    private static func place(_ ticket: Ticket, from owner: Person, cause: String, people: [String: Person], ledger: inout LoadLedger,
                              now: Date, candidates: (Ticket) async -> [RebalanceCandidate]) async -> RebalancePlan.Move? {
        let effort = ledger.effort(ticket)
        for candidate in await candidates(ticket) where candidate.person != owner.id {
            guard let person = people[candidate.person], person.active, !person.optedOut,
                  awayCause(person, ticket: ticket, now: now) == nil,
                  ledger.load(person.id) + effort <= ledger.capacity(person.id) + 1e-9 else { continue }
            ledger.move(effort, from: owner.id, to: person.id)
            return RebalancePlan.Move(ticket: ticket.key, from: owner.id, to: person.id, reasons: [
                cause,
                String(format: "%@ is the best-ranked available person with room for it (score %.2f)", person.displayName, candidate.score),
                String(format: "%@ will have %@ of %@ %@ of open work", person.displayName, number(ledger.load(person.id)),
                       number(ledger.capacity(person.id)), person.capacityUnit),
            ])
        }
        return nil
    }

    /// Urgent tickets first, then by key, so the plan is deterministic.
    private static func urgentFirst(_ a: Ticket, _ b: Ticket) -> Bool {
        let pa = Workload.priorityFactor(a.priority), pb = Workload.priorityFactor(b.priority)
        return pa != pb ? pa > pb : a.key < b.key
    }

    /// A load or capacity as every view shows it.
    static func number(_ value: Double) -> String { Workload.figure(value) }
}

/// Open effort and capacity per person, updated as the plan moves tickets.
struct LoadLedger {
    private var loads: [String: Double] = [:]
    private let capacities: [String: Double]
    private let staleDays: Int
    private let now: Date

    /// Each person's load and capacity as the ranking's workload factor and the Team figures compute them
    /// (``Workload/value(open:weeklyCapacity:now:staleDays:)``), so a plan's figures are theirs.
    init(people: [String: Person], openWork: [String: [OpenTicket]], staleDays: Int, now: Date) {
        self.staleDays = staleDays
        self.now = now
        capacities = people.mapValues { Workload.value(open: [], weeklyCapacity: $0.weeklyCapacity, now: now, staleDays: staleDays).capacity }
        for (person, work) in openWork {
            loads[person] = Workload.value(open: work, weeklyCapacity: people[person]?.weeklyCapacity, now: now, staleDays: staleDays).load
        }
    }

    func load(_ person: String) -> Double { loads[person] ?? 0 }
    func capacity(_ person: String) -> Double { capacities[person] ?? Workload.defaultCapacity }
    func overload(_ person: String) -> Double { load(person) - capacity(person) }

    func effort(_ ticket: Ticket) -> Double {
        Workload.effort(OpenTicket(storyPoints: ticket.storyPoints, priority: ticket.priority, updated: ticket.updated), now: now, staleDays: staleDays)
    }

    mutating func move(_ effort: Double, from: String, to: String) {
        loads[from] = max(0, load(from) - effort)
        loads[to] = load(to) + effort
    }
}
