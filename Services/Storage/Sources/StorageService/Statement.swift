import Foundation

/// A prepared statement, owned and cached by its ``Database``: SQLite's or PostgreSQL's inside, so
/// the store's SQL reads its rows the same way on either engine. The engine is an enum, not an
/// existential: a column read on SQLite is one branch, then the `sqlite3_column_*` call.
public final class Statement {
    enum Backend {
        case sqlite(SQLiteStatement)
        case postgres(PostgresStatement)
    }

    let backend: Backend

    init(_ backend: Backend) { self.backend = backend }

    deinit { if case .sqlite(let statement) = backend { statement.finalize() } }

    func reset() {
        switch backend {
        case .sqlite(let statement): statement.reset()
        case .postgres(let statement): statement.reset()
        }
    }

    /// Binds `values` to parameters 1...n.
    public func bind(_ values: [SQLValue]) throws {
        switch backend {
        case .sqlite(let statement): try statement.bind(values)
        case .postgres(let statement): statement.bind(values)
        }
    }

    /// Advances to the next row; false when done. (On PostgreSQL the first step runs the statement.)
    public func step() throws -> Bool {
        switch backend {
        case .sqlite(let statement): return try statement.step()
        case .postgres(let statement): return try statement.step()
        }
    }

    /// The value of column `index` of the current row.
    public func value(_ index: Int32) -> SQLValue {
        switch backend {
        case .sqlite(let statement): return statement.value(index)
        case .postgres(let statement): return statement.value(index)
        }
    }

    /// Column `index` as text, nil for NULL.
    public func text(_ index: Int32) -> String? {
        switch backend {
        case .sqlite(let statement): return statement.text(index)
        case .postgres(let statement): return statement.text(index)
        }
    }

    /// Calls `body` with the bytes of column `index` as text, without copying them (empty for NULL);
    /// the bytes are valid only during the call.
    public func withText<R>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        switch backend {
        case .sqlite(let statement): return try statement.withText(index, body)
        case .postgres(let statement): return try statement.withText(index, body)
        }
    }

    /// Calls `body` with the bytes of column `index` as a blob, without copying them (empty for NULL);
    /// the bytes are valid only during the call.
    public func withBlob<R>(_ index: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch backend {
        case .sqlite(let statement): return try statement.withBlob(index, body)
        case .postgres(let statement): return try statement.withBlob(index, body)
        }
    }

    /// Column `index` as an integer (0 for NULL).
    public func int(_ index: Int32) -> Int64 {
        switch backend {
        case .sqlite(let statement): return statement.int(index)
        case .postgres(let statement): return statement.int(index)
        }
    }

    /// Column `index` as a double, nil for NULL.
    public func double(_ index: Int32) -> Double? {
        switch backend {
        case .sqlite(let statement): return statement.double(index)
        case .postgres(let statement): return statement.double(index)
        }
    }

    /// Column `index` as a date, nil for NULL.
    public func date(_ index: Int32) -> Date? { double(index).map(Date.init(timeIntervalSince1970:)) }

    /// Column `index` as bytes (empty for NULL).
    public func blob(_ index: Int32) -> [UInt8] {
        switch backend {
        case .sqlite(let statement): return statement.blob(index)
        case .postgres(let statement): return statement.blob(index)
        }
    }

    /// Whether column `index` is NULL.
    public func isNull(_ index: Int32) -> Bool {
        switch backend {
        case .sqlite(let statement): return statement.isNull(index)
        case .postgres(let statement): return statement.isNull(index)
        }
    }
}
