import Model

/// A person as every answer of the API names one: `{"id", "name"}` (the display name, or the id for someone the tenant
/// has no record of). Candidates of recommendations and decisions, who was chosen or assigned, the moves of a rebalance
/// plan and the Team figures all use this shape, so a client reads a person one way.
struct PersonRef: Codable, Sendable, Equatable {
    let id: String
    let name: String

    init(id: String, name: String) {
        self.id = id
        self.name = name
    }

    /// `id` named from `names` (person id to display name), or by its id.
    init(_ id: String, names: [String: String]) {
        self.init(id: id, name: names[id] ?? id)
    }

    /// Display names by id of `people`.
    static func names(_ people: [Person]) -> [String: String] {
        Dictionary(people.map { ($0.id, $0.displayName) }, uniquingKeysWith: { first, _ in first })
    }
}
