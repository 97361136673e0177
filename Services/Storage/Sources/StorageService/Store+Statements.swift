import Contracts
import RPC

extension Store {
    /// The row `query` finds with `values`, made by `row`; NOT_FOUND saying `missing` when there is none.
    func readOne<T: Sendable>(_ query: String, _ values: [SQLValue], missing: String,
                              _ row: @escaping @Sendable (Statement) throws -> T) async throws -> T {
        let found = try await read { db -> T? in
            let statement = try db.prepare(query)
            try statement.bind(values)
            guard try statement.step() else { return nil }
            return try row(statement)
        }
        guard let found else { throw RPCError.notFound(missing) }
        return found
    }

    /// One page of what `filter` selects (ended by ``SQLFilter/page(_:limit:)``, so up to `limit + 1` rows): the first
    /// `limit` items made by `row`, and when a row follows them the cursor of the last, its `position` (read from the
    /// row as it is made).
    func readPage<Item: Codable & Sendable & Equatable>(_ filter: SQLFilter, limit: Int, _ row: @escaping @Sendable (Statement) throws -> Item,
                                  position: @escaping @Sendable (Statement, Item) -> Int64) async throws -> StorageContract.Page<Item> {
        let query = filter.sql
        let values = filter.bindings
        return try await read { db in
            let statement = try db.prepare(query)
            try statement.bind(values)
            var items: [Item] = []
            items.reserveCapacity(min(limit, 1000))
            var last: Int64 = 0
            while try statement.step() {
                if items.count == limit { return .init(items: items, next: Cursor.encode(last)) }
                let item = try row(statement)
                last = position(statement, item)
                items.append(item)
            }
            return .init(items: items, next: nil)
        }
    }
}

extension Store {
    /// Runs one statement that writes a row of `tenant` (NOT_FOUND when there is no such tenant), durably.
    func writeRow(_ tenant: String, _ sql: String, _ values: [SQLValue]) async throws {
        try await write { db in
            try Store.requireTenant(db, tenant)
            try db.run(sql, values)
        }
    }
}
