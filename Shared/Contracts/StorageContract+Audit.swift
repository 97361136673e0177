import Foundation
import RPC

/// `storage.v1/AppendAudit` and `storage.v1/ListAudit`: the audit record of admin changes (project settings, roles,
/// custom skills, people, tokens), append-only and kept until the tenant is deleted. Each record says who changed what, when,
/// and the value before and after (JSON, small and free of secrets). Decisions are the other half of the audit trail,
/// in the decision log (`ListDecisions`).
extension StorageContract {
    public static let appendAudit = Method<AppendAuditRequest, AuditRecord>(service: service, method: "AppendAudit")
    public static let listAudit = Method<ListAuditRequest, AuditPage>(service: service, method: "ListAudit")

    /// What an admin change changed.
    public enum AuditKind: String, Codable, Sendable, CaseIterable {
        /// A project's settings (target: the project key).
        case settings
        /// A role granted, changed or revoked (target: the subject; project: the role's project).
        case role
        /// The tenant's custom skills and aliases (target: `*`, tenant-wide).
        case customSkills
        /// A person's record (target: the person's id, tenant-wide).
        case person
        /// A token made or revoked (target: the token's id, tenant-wide; never the token itself).
        case token
    }

    public struct AppendAuditRequest: Codable, Sendable, Equatable {
        /// The principal who made the change.
        public var actor: String
        /// One of ``AuditKind``'s raw values (a string, so storage names the field when it is not one).
        public var kind: String
        /// The project changed; nil for a tenant-wide change (custom skills, people).
        public var project: String?
        /// What changed: a project key, a role's subject, a person's id, `*`.
        public var target: String
        /// The value before the change, as JSON; nil when there was none (a role granted).
        public var before: Data?
        /// The value after the change, as JSON; nil when there is none (a role revoked).
        public var after: Data?
        public init(actor: String, kind: AuditKind, project: String?, target: String, before: Data?, after: Data?) {
            self.init(actor: actor, kind: kind.rawValue, project: project, target: target, before: before, after: after)
        }

        public init(actor: String, kind: String, project: String?, target: String, before: Data?, after: Data?) {
            self.actor = actor
            self.kind = kind
            self.project = project
            self.target = target
            self.before = before
            self.after = after
        }
    }

    /// One stored admin change.
    public struct AuditRecord: Codable, Sendable, Equatable {
        /// Assigned by storage, growing: newer records have larger ids.
        public var id: Int64
        /// When storage recorded it.
        public var at: Date
        public var actor: String
        public var kind: String
        public var project: String?
        public var target: String
        public var before: Data?
        public var after: Data?
        public init(id: Int64, at: Date, actor: String, kind: String, project: String?, target: String, before: Data?, after: Data?) {
            self.id = id
            self.at = at
            self.actor = actor
            self.kind = kind
            self.project = project
            self.target = target
            self.before = before
            self.after = after
        }
    }

    /// Admin changes, newest first (by id). Every filter is optional; absent ones match everything.
    public struct ListAuditRequest: Codable, Sendable, Equatable {
        /// Only changes of this project (tenant-wide changes have none, so they are left out).
        public var project: String?
        /// Only changes of these kinds (``AuditKind`` raw values).
        public var kinds: [String]?
        /// Only changes of this target.
        public var target: String?
        /// Only changes recorded at or after this time.
        public var since: Date?
        /// Opaque; from a previous page's `next`.
        public var cursor: String?
        /// Only changes older than the one with this id (a position a caller kept; ANDed with `cursor`).
        public var beforeID: Int64?
        /// 1...1000, default 100.
        public var limit: Int?
        /// Only changes made by this principal.
        public var actor: String?
        public init(project: String? = nil, kinds: [String]? = nil, target: String? = nil, since: Date? = nil, cursor: String? = nil,
                    beforeID: Int64? = nil, limit: Int? = nil, actor: String? = nil) {
            self.project = project
            self.kinds = kinds
            self.target = target
            self.since = since
            self.cursor = cursor
            self.beforeID = beforeID
            self.limit = limit
            self.actor = actor
        }
    }

    public typealias AuditPage = Page<AuditRecord>
}
