/// A `SELECT … WHERE tenant = ?` built up filter by filter: each optional filter of a list request adds its condition
/// and its values together, so the two never drift apart (the list methods of ``Store`` share it).
struct SQLFilter {
    private(set) var sql: String
    private(set) var bindings: [SQLValue]

    /// `select` (up to and including `WHERE tenant = ?`) for `tenant`.
    init(_ select: String, tenant: String) {
        sql = select
        bindings = [.text(tenant)]
    }

    /// Adds ` AND condition` with its values, in the order of its `?`s.
    mutating func and(_ condition: String, _ values: SQLValue...) {
        sql += " AND " + condition
        bindings += values
    }

    /// Adds ` AND column IN (?, ...)` for `values`; nothing when there are none.
    mutating func and(_ column: String, in values: [SQLValue]) {
        guard !values.isEmpty else { return }
        sql += " AND \(column) IN (" + values.map { _ in "?" }.joined(separator: ",") + ")"
        bindings += values
    }

    /// Ends with `order` and a limit of `limit + 1` rows (one more than a page, to tell whether another follows).
    mutating func page(_ order: String, limit: Int) {
        sql += " ORDER BY \(order) LIMIT ?"
        bindings.append(.integer(Int64(limit + 1)))
    }
}
