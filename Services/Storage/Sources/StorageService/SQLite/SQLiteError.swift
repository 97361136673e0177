import CSQLite

/// A SQLite failure: the result code and SQLite's message (kept in the server log, never sent to callers).
public struct SQLiteError: Error, CustomStringConvertible {
    public let code: Int32
    public let message: String

    public init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    /// Whether the database was busy or locked (another writer).
    public var isBusy: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }
    /// Whether a constraint (unique key, check) failed.
    public var isConstraint: Bool { code & 0xFF == SQLITE_CONSTRAINT }

    public var description: String { "SQLite error \(code): \(message)" }
}
