import Foundation

/// The skills a detector knows: ids, names, categories, aliases, file extensions, markers and parents.
///
/// Loaded from the bundled `taxonomy.json` (or any data of the same shape) and validated: every error names
/// the field. Immutable; `adding(_:)` returns a new taxonomy with a tenant's own skills and aliases.
public struct SkillTaxonomy: Sendable, Equatable {
    /// One skill.
    public struct Skill: Codable, Sendable, Equatable, Hashable {
        /// A lowercase slug, unique in the taxonomy (`kubernetes`, `zk-sessions`).
        public var id: String
        /// A display name.
        public var name: String
        /// One of the taxonomy's categories.
        public var category: String
        /// Normalised phrases that name the skill on their own (`k8s`, `kubectl`).
        public var aliases: [String]
        /// Ambiguous phrases (`go`, `react`) that count only next to other evidence for the skill or a child.
        public var weakAliases: [String]
        /// File extensions with the dot (`.swift`, `.c.src`).
        public var extensions: [String]
        /// Case-sensitive substrings that are strong evidence (`java.lang.`, `CrashLoopBackOff`).
        public var markers: [String]
        /// Ids of broader skills that get a share of this skill's evidence.
        public var parents: [String]

        public init(id: String, name: String, category: String, aliases: [String] = [], weakAliases: [String] = [],
                    extensions: [String] = [], markers: [String] = [], parents: [String] = []) {
            self.id = id
            self.name = name
            self.category = category
            self.aliases = aliases
            self.weakAliases = weakAliases
            self.extensions = extensions
            self.markers = markers
            self.parents = parents
        }
    }

    /// The data file's format version.
    public let version: Int
    /// The known categories.
    public let categories: [String]
    /// Every skill, in file order.
    public let skills: [Skill]
    let indexByID: [String: Int]

    /// A validated taxonomy; throws `SkillsError` naming the first bad field.
    public init(version: Int, categories: [String], skills: [Skill]) throws {
        try Self.validate(categories: categories, skills: skills)
        self.version = version
        self.categories = categories
        self.skills = skills
        var index: [String: Int] = [:]
        for (position, skill) in skills.enumerated() { index[skill.id] = position }
        indexByID = index
    }

    /// Decodes and validates taxonomy JSON (`{"version", "categories", "skills": [...]}`).
    public init(data: Data) throws {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch let error as DecodingError {
            throw SkillsError(.malformed, field: Self.path(of: error), "not a valid taxonomy: \(Self.reason(of: error))")
        } catch {
            throw SkillsError(.malformed, "not a valid taxonomy: \(error)")
        }
        try self.init(version: file.version, categories: file.categories, skills: file.skills)
    }

    /// The skill with this id.
    public func skill(id: String) -> Skill? {
        indexByID[id].map { skills[$0] }
    }

    private struct File: Decodable {
        var version: Int
        var categories: [String]
        var skills: [Skill]
    }

    private static func path(of error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): context = c
        case .keyNotFound(let key, let c):
            return (c.codingPath + [key]).map(\.pathComponent).joined().trimmingPrefixDot()
        @unknown default: return ""
        }
        return context.codingPath.map(\.pathComponent).joined().trimmingPrefixDot()
    }

    private static func reason(of error: DecodingError) -> String {
        switch error {
        case .keyNotFound: return "missing"
        case .typeMismatch(let type, _): return "expected \(type)"
        case .valueNotFound(let type, _): return "expected \(type), found null"
        case .dataCorrupted(let context): return context.debugDescription
        @unknown default: return "\(error)"
        }
    }
}

private extension CodingKey {
    var pathComponent: String {
        if let index = intValue { return "[\(index)]" }
        return "." + stringValue
    }
}

private extension String {
    func trimmingPrefixDot() -> String { hasPrefix(".") ? String(dropFirst()) : self }
}
