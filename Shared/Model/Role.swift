/// What a principal may do in a project.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable, ListedCases {
    case viewer, member, admin

    private var rank: Int {
        switch self {
        case .viewer: return 0
        case .member: return 1
        case .admin: return 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}

/// A principal's role in one project (`*` for every project of the tenant).
public struct RoleAssignment: Codable, Sendable, Equatable {
    public var principal: String
    public var project: String
    public var role: Role

    public init(principal: String, project: String, role: Role) {
        self.principal = principal
        self.project = project
        self.role = role
    }
}
