/// Where a replay takes each ticket's skills from: detection as the skills service does it, learning each
/// resolved ticket as the replay learns it (so a test ticket is detected with only what was known before it).
/// The skills service's local detector is one (SkillsCore `HistorySkillDetector`); ScoringCore's replay takes any.
public protocol TicketSkillSource: AnyObject {
    /// Learns one resolved ticket (with its components and labels).
    func learn(_ record: HistoryRecord)
    /// The skills `record` needs, heaviest first, as production detects them for a ticket that arrives so.
    func skills(of record: HistoryRecord) -> [DetectedSkill]
}
