import Model

/// A replay's skills read beforehand from the skills service (``TicketSkillsReader``), by ticket key: what the service's
/// local detector finds in each ticket with the tenant's vocabulary as it is now (it learned them all already, so
/// learning is a no-op here).
final class PrefetchedSkills: TicketSkillSource, Sendable {
    private let byKey: [String: [DetectedSkill]]

    init(_ byKey: [String: [DetectedSkill]]) { self.byKey = byKey }

    func learn(_ record: HistoryRecord) {}

    func skills(of record: HistoryRecord) -> [DetectedSkill] { byKey[record.key] ?? [] }
}
