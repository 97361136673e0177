/// A skill or aliases a tenant's admin added: a new skill, or more aliases for an existing one.
public struct CustomSkill: Codable, Sendable, Equatable, Hashable {
    /// A lowercase slug. When it names an existing skill, only `aliases` are used.
    public var id: String
    /// The display name of a new skill.
    public var name: String
    /// The category of a new skill: a slug, known or new.
    public var category: String
    /// Phrases that name the skill; normalised on the way in (`The-Ledger` → `the ledger`).
    public var aliases: [String]

    public init(id: String, name: String, category: String, aliases: [String]) {
        self.id = id
        self.name = name
        self.category = category
        self.aliases = aliases
    }
}

