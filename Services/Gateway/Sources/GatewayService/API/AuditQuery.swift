import Contracts
import Foundation

/// The query of `GET /api/v1/audit`, checked: each bad parameter is a 400 naming it.
///
/// `kind` picks the sources: `decision` (the decision log), `change` (every admin change), or one kind of change
/// (`settings`, `role`, `customSkills`, `person`); absent, both sources. `mode` (comma-separated decision modes) applies
/// to decisions only, so it leaves changes out. `person` matches decisions that chose the person or took the ticket
/// from them, and the changes of their record or of their roles (target = the person).
struct AuditQuery {
    /// The values of `kind`, in the order the error names them.
    static let kinds = ["decision", "change"] + StorageContract.AuditKind.allCases.map(\.rawValue)
    static let defaultLimit = 50
    static let maxLimit = 500

    let project: String?
    let wantsDecisions: Bool
    /// The kinds of change to list (empty: none).
    let changeKinds: [StorageContract.AuditKind]
    let modes: [Decision.Mode]?
    let person: String?
    let since: Date?
    let limit: Int
    let cursor: AuditCursor

    init(_ context: RequestContext) throws {
        project = try Self.identifier(context, "project")
        person = try Self.identifier(context, "person")
        let kind = context.query("kind").flatMap { $0.isEmpty ? nil : $0 }
        if let kind, !Self.kinds.contains(kind) {
            throw APIError.badRequest("query parameter `kind` must be one of \(Self.kinds.joined(separator: ", "))")
        }
        if let text = context.query("mode"), !text.isEmpty {
            modes = try text.split(separator: ",", omittingEmptySubsequences: false).map { value in
                guard let mode = Decision.Mode(rawValue: String(value)) else {
                    throw APIError.badRequest("query parameter `mode` must be one of \(Decision.Mode.allCases.map(\.rawValue).joined(separator: ", ")) (comma-separated)")
                }
                return mode
            }
            if let kind, kind != "decision" {
                throw APIError.badRequest("query parameter `mode` applies to decisions only: use it with no `kind` or with kind=decision")
            }
        } else {
            modes = nil
        }
        wantsDecisions = kind == nil || kind == "decision"
        var changeKinds: [StorageContract.AuditKind]
        switch kind {
        case nil, "change": changeKinds = modes == nil ? StorageContract.AuditKind.allCases : []
        case "decision": changeKinds = []
        default: changeKinds = [StorageContract.AuditKind(rawValue: kind!)!]
        }
        // A person's changes are those of their record and their roles.
        if person != nil { changeKinds = changeKinds.filter { $0 == .person || $0 == .role } }
        self.changeKinds = changeKinds
        if let text = context.query("since"), !text.isEmpty {
            guard let date = ISO8601.parse(text), date.timeIntervalSince1970 >= 0, date.timeIntervalSince1970 < 4_102_444_800 else {
                throw APIError.badRequest("query parameter `since` must be an ISO 8601 date or date-time between 1970 and 2100 (e.g. 2026-03-01T00:00:00Z)")
            }
            since = date
        } else {
            since = nil
        }
        if let text = context.query("limit"), !text.isEmpty {
            guard let value = Int(text), (1...Self.maxLimit).contains(value) else {
                throw APIError.badRequest("query parameter `limit` must be an integer between 1 and \(Self.maxLimit)")
            }
            limit = value
        } else {
            limit = Self.defaultLimit
        }
        cursor = try AuditCursor(context.query("cursor"))
    }

    /// A query parameter naming something stored (absent or empty: nil), or a 400 naming it.
    private static func identifier(_ context: RequestContext, _ name: String) throws -> String? {
        guard let value = context.query(name), !value.isEmpty else { return nil }
        guard value.utf8.count <= 255 else { throw APIError.badRequest("query parameter `\(name)` is longer than 255 bytes") }
        return value
    }
}
