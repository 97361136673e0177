import Model

extension SkillTaxonomy {
    /// The most custom skills one tenant may add.
    public static let maxCustomSkills = 1000
    /// The most aliases one custom skill may carry.
    public static let maxCustomAliases = 100

    /// This taxonomy plus a tenant's custom skills and aliases. Throws `SkillsError` naming the bad field
    /// (`custom[2].aliases[0]`): a bad id, a name or category missing for a new skill, an alias that is empty
    /// after normalisation, too long, or already an alias of a different skill.
    public func adding(_ custom: [CustomSkill]) throws -> SkillTaxonomy {
        guard custom.count <= Self.maxCustomSkills else {
            throw Self.invalid("custom", "more than \(Self.maxCustomSkills) custom skills")
        }
        var skills = self.skills
        var categories = self.categories
        var index = indexByID
        var aliasOwner: [String: String] = [:]
        for skill in skills {
            for alias in skill.aliases + skill.weakAliases { aliasOwner[alias] = skill.id }
        }
        var seenIDs = Set<String>()
        for (position, entry) in custom.enumerated() {
            let field = "custom[\(position)]"
            guard Self.isSlug(entry.id) else { throw Self.invalid("\(field).id", "expected a lowercase slug, got '\(entry.id)'") }
            guard seenIDs.insert(entry.id).inserted else { throw Self.invalid("\(field).id", "duplicate id '\(entry.id)'") }
            guard entry.aliases.count <= Self.maxCustomAliases else {
                throw Self.invalid("\(field).aliases", "more than \(Self.maxCustomAliases) aliases")
            }
            let target: Int
            if let existing = index[entry.id] {
                target = existing
            } else {
                let name = entry.name.trimmingSpaces()
                guard Self.isPrintableName(name) else {
                    throw Self.invalid("\(field).name", "a new skill needs a name of 1 to 100 printable characters")
                }
                guard Self.isSlug(entry.category) else {
                    throw Self.invalid("\(field).category", "expected a lowercase slug, got '\(entry.category)'")
                }
                guard !entry.aliases.isEmpty else { throw Self.invalid("\(field).aliases", "a new skill needs at least one alias") }
                if !categories.contains(entry.category) { categories.append(entry.category) }
                target = skills.count
                index[entry.id] = target
                skills.append(Skill(id: entry.id, name: name, category: entry.category))
            }
            for (aliasPosition, raw) in entry.aliases.enumerated() {
                let aliasField = "\(field).aliases[\(aliasPosition)]"
                let alias = Self.normalizedAlias(raw)
                if let problem = Self.aliasProblem(alias) { throw Self.invalid(aliasField, "'\(raw)' is \(problem)") }
                if let owner = aliasOwner[alias] {
                    if owner == entry.id { continue }
                    throw Self.invalid(aliasField, "'\(alias)' is already an alias of \(owner)")
                }
                aliasOwner[alias] = entry.id
                skills[target].aliases.append(alias)
            }
        }
        return try SkillTaxonomy(version: version, categories: categories, skills: skills)
    }
}

private extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
