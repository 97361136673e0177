/// The database engine behind a ``Store``: SQLite, the embedded default (one storage process owns a
/// file in the data directory), or PostgreSQL, reached through libpq, which several storage
/// processes can share.
public enum DatabaseEngine: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { self == .sqlite ? "SQLite" : "PostgreSQL" }
}
