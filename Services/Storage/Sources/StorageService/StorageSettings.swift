import Lifecycle

/// The storage service's part of the configuration (`storage.*`). Read with `configuration[StorageSettings.self]`,
/// or `configuration.databasePath` for the database file.
public struct StorageSettings: ConfigurationSection {
    public var file = "smart-ticket.sqlite"
    public var commitWindowMicroseconds = 0
    public var decisionRetentionDays = 180.0
    public var postgresURL = ""
    public var postgresPasswordFile = ""

    public init() {}

    public static let keys: [ConfigurationKey<StorageSettings>] = [
        .string("storage.file", "Database file, relative to dataDir unless absolute.", \.file),
        .int("storage.commitWindowMicroseconds",
             "Under a steady stream of writes, how long a commit waits for more writes to share its fsync (less CPU, more latency); 0: off.",
             \.commitWindowMicroseconds, 0...100_000),
        .double("storage.decisionRetentionDays",
                "Suggestions' decision records (one per recommendation that assigned nothing) are deleted after this many days; assignments, overrides and auto-assignments are kept until the tenant is deleted. 0 keeps suggestions too.",
                \.decisionRetentionDays, 0...36_500),
        .string("storage.postgresURL",
                "PostgreSQL to store in instead of the SQLite file, e.g. postgresql://smartticket@db:5432/smartticket?sslmode=verify-full (several pods may share it); empty: SQLite.",
                \.postgresURL, allowEmpty: true),
        .string("storage.postgresPasswordFile",
                "File holding the PostgreSQL password (wins over one in the URL; PGPASSWORD and PGPASSFILE also work). Never logged.",
                \.postgresPasswordFile, allowEmpty: true),
    ]

    /// The database file's full path: `file`, in `dataDir` unless absolute.
    public func databasePath(dataDir: String) -> String {
        file.hasPrefix("/") ? file : "\(dataDir)/\(file)"
    }
}

extension Configuration {
    /// The database file's full path, from the storage section and `dataDir`.
    public var databasePath: String { self[StorageSettings.self].databasePath(dataDir: dataDir) }
}
