import Foundation

/// A skill a ticket needs at a minimum level (1 to 5, as people declare levels): people below it are
/// never assigned automatically, and are shown as missing it.
public struct RequiredSkill: Codable, Sendable, Equatable, Hashable {
    public var skill: String
    public var minLevel: Int

    public init(skill: String, minLevel: Int) {
        self.skill = skill
        self.minLevel = minLevel
    }

    /// What a ticket of a project needs: the project's requirements, with the ticket's own taking the
    /// place of the project's for the same skill (names compared lowercased).
    public static func effective(project: [RequiredSkill]?, ticket: [RequiredSkill]?) -> [RequiredSkill] {
        var merged: [RequiredSkill] = []
        for requirement in (ticket ?? []) + (project ?? []) {
            let name = requirement.skill.lowercased()
            guard !merged.contains(where: { $0.skill == name }) else { continue }
            merged.append(RequiredSkill(skill: name, minLevel: requirement.minLevel))
        }
        return merged
    }

    /// The problems with `list` as given for `field`, each naming its entry; empty when valid.
    public static func validationErrors(_ list: [RequiredSkill]?, field: String) -> [String] {
        guard let list else { return [] }
        var errors: [String] = []
        if list.count > 20 { errors.append("\(field): more than 20 required skills") }
        for (index, requirement) in list.enumerated() {
            let name = requirement.skill
            if name.isEmpty || name.utf8.count > 100 || name.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
                errors.append("\(field)[\(index)].skill: 1 to 100 characters, no control characters")
            }
            if !(1...5).contains(requirement.minLevel) { errors.append("\(field)[\(index)].minLevel: must be 1 to 5") }
        }
        return errors
    }
}
