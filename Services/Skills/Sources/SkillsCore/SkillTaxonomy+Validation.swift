/// The rules a taxonomy must follow; every error names the field (`skills[12].parents[0]`).
extension SkillTaxonomy {
    /// The longest alias in bytes.
    public static let maxAliasBytes = 80
    /// The most words an alias may have.
    public static let maxAliasWords = 6

    /// Whether `id` is a lowercase slug: `[a-z0-9]` then up to 63 of `[a-z0-9-]`.
    public static func isSlug(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        for (index, c) in bytes.enumerated() {
            let alphanumeric = (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
            if !(alphanumeric || (index > 0 && c == 0x2D)) { return false }
        }
        return true
    }

    /// The normal form of an alias: lowercase words joined by single spaces (`Hyper-V` → `hyper v`).
    public static func normalizedAlias(_ alias: String) -> String {
        Tokenizer.normalizedWords(alias).joined(separator: " ")
    }

    /// Why `alias` (already normalised) is unusable, or nil.
    static func aliasProblem(_ alias: String) -> String? {
        if alias.isEmpty { return "empty after normalisation" }
        if alias.utf8.count > maxAliasBytes { return "longer than \(maxAliasBytes) bytes" }
        if alias.split(separator: " ").count > maxAliasWords { return "more than \(maxAliasWords) words" }
        return nil
    }

    static func validate(categories: [String], skills: [Skill]) throws {
        var knownCategories = Set<String>()
        for (index, category) in categories.enumerated() {
            guard isSlug(category) else { throw invalid("categories[\(index)]", "expected a lowercase slug, got '\(category)'") }
            guard knownCategories.insert(category).inserted else { throw invalid("categories[\(index)]", "duplicate '\(category)'") }
        }
        guard !skills.isEmpty else { throw invalid("skills", "expected at least one skill") }
        var ids: [String: Int] = [:]
        for (index, skill) in skills.enumerated() {
            let field = "skills[\(index)]"
            guard isSlug(skill.id) else { throw invalid("\(field).id", "expected a lowercase slug, got '\(skill.id)'") }
            guard ids.updateValue(index, forKey: skill.id) == nil else { throw invalid("\(field).id", "duplicate id '\(skill.id)'") }
            guard isPrintableName(skill.name) else {
                throw invalid("\(field).name", "expected 1 to 100 printable characters")
            }
            guard knownCategories.contains(skill.category) else {
                throw invalid("\(field).category", "unknown category '\(skill.category)'")
            }
        }
        try validateEvidence(skills)
        try validateParents(skills, ids: ids)
    }

    private static func validateEvidence(_ skills: [Skill]) throws {
        var aliasOwner: [String: String] = [:]
        var extensionOwner: [String: String] = [:]
        for (index, skill) in skills.enumerated() {
            for (kind, list) in [("aliases", skill.aliases), ("weakAliases", skill.weakAliases)] {
                for (position, alias) in list.enumerated() {
                    let field = "skills[\(index)].\(kind)[\(position)]"
                    let normal = normalizedAlias(alias)
                    if let problem = aliasProblem(normal) { throw invalid(field, "'\(alias)' is \(problem)") }
                    guard normal == alias else { throw invalid(field, "'\(alias)' is not normalised (expected '\(normal)')") }
                    if let owner = aliasOwner.updateValue(skill.id, forKey: alias) {
                        throw invalid(field, "'\(alias)' is already an alias of \(owner)")
                    }
                }
            }
            for (position, ext) in skill.extensions.enumerated() {
                let field = "skills[\(index)].extensions[\(position)]"
                guard isExtension(ext) else { throw invalid(field, "expected a lowercase extension like '.swift', got '\(ext)'") }
                if let owner = extensionOwner.updateValue(skill.id, forKey: ext) {
                    throw invalid(field, "'\(ext)' already belongs to \(owner)")
                }
            }
            for (position, marker) in skill.markers.enumerated()
            where !(MarkerIndex.minimumLength...200).contains(marker.utf8.count) {
                throw invalid("skills[\(index)].markers[\(position)]", "expected \(MarkerIndex.minimumLength) to 200 bytes")
            }
        }
    }

    private static func validateParents(_ skills: [Skill], ids: [String: Int]) throws {
        for (index, skill) in skills.enumerated() {
            for (position, parent) in skill.parents.enumerated() {
                let field = "skills[\(index)].parents[\(position)]"
                guard parent != skill.id else { throw invalid(field, "a skill cannot be its own parent") }
                guard ids[parent] != nil else { throw invalid(field, "unknown skill '\(parent)'") }
            }
        }
        // Depth-first search for cycles: 1 = on the current path, 2 = done.
        var state = [UInt8](repeating: 0, count: skills.count)
        for root in skills.indices where state[root] == 0 {
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            state[root] = 1
            while let top = stack.last {
                let parents = skills[top.node].parents
                if top.next == parents.count {
                    state[top.node] = 2
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].next += 1
                let parent = ids[parents[top.next]]!
                if state[parent] == 1 {
                    throw invalid("skills[\(top.node)].parents[\(top.next)]", "'\(skills[parent].id)' makes a cycle")
                }
                if state[parent] == 0 {
                    state[parent] = 1
                    stack.append((parent, 0))
                }
            }
        }
    }

    private static func isExtension(_ ext: String) -> Bool {
        let bytes = Array(ext.utf8)
        guard bytes.count >= 2, bytes.count <= 16, bytes[0] == 0x2E else { return false }
        return bytes.dropFirst().allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2B }
    }

    /// Whether `name` has 1 to 100 characters and no control characters.
    static func isPrintableName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100 && !name.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    static func invalid(_ field: String, _ message: String) -> SkillsError {
        SkillsError(.invalidField, field: field, message)
    }
}
