import Contracts
import Foundation
import Observability
import RPC
import Synchronization

/// The database of one deployment: a writer thread with group commit, reader threads for queries.
/// Every method takes the tenant it is scoped to.
///
/// Two engines, one code path: SQLite (``init(path:readers:logger:commitWindow:)``, the embedded
/// default: a file in the data directory that this process alone opens) or PostgreSQL
/// (``init(postgres:passwordFile:readers:logger:commitWindow:)``: a database several storage
/// instances share). The `Store+*.swift` statements are the same for both (``Database``).
public final class Store: Sendable {
    let writer: DatabaseWorker
    /// Copies the write-ahead log into the database file off the writer's thread (SQLite only).
    let checkpointer: Checkpointer?
    private let readers: [DatabaseWorker]
    /// Connections lent to threads that read in place (see ``readOnCallingThread(_:)``).
    let readerPool: ReaderPool
    private let nextReader = AtomicCounter()
    /// The engine behind this store.
    public let engine: DatabaseEngine
    /// The SQLite database file; nil on PostgreSQL.
    let databasePath: String?
    let logger: Logger
    /// Distinguishes this database in data versions: on SQLite each opening (a restored file may
    /// repeat numbers); on PostgreSQL the database itself, the same for every instance sharing it
    /// (``PostgresMigrator/epoch(_:)``).
    let epoch: String
    /// The revoked token ids, kept in memory on SQLite (``RevokedTokens``).
    let revokedTokens = RevokedTokens()

    private init(engine: DatabaseEngine, databasePath: String?, writer: DatabaseWorker, checkpointer: Checkpointer?,
                 readers: [DatabaseWorker], readerPool: ReaderPool, epoch: String, logger: Logger) {
        self.engine = engine
        self.databasePath = databasePath
        self.writer = writer
        self.checkpointer = checkpointer
        self.readers = readers
        self.readerPool = readerPool
        self.epoch = epoch
        self.logger = logger
    }

    /// Opens (creating and migrating if needed) the SQLite database at `path`. Under a steady stream
    /// of writes a commit waits up to `commitWindow` for more writes to share it (``DatabaseWorker``).
    public convenience init(path: String, readers readerCount: Int = 2, logger: Logger, commitWindow: Duration = .zero) throws {
        let writeConnection = try Database(path: path)
        // A database created by an earlier version may be readable by others: only its owner may read it.
        for file in [path, path + "-wal", path + "-shm", path + "-journal"] where DatabaseFile.restrictToOwner(file) {
            logger.notice("database file made private (mode 0600)", ["file": .string((file as NSString).lastPathComponent)])
        }
        try Migrator.configureWriter(writeConnection)
        let before = try Migrator.migrate(writeConnection)
        if before < Schema.latestVersion {
            logger.info("database migrated", ["from": .int(before), "to": .int(Schema.latestVersion)])
        }
        let revoked = try Store.revokedTokenIDs(writeConnection)
        let checkpointer = try Checkpointer.attach(to: writeConnection, path: path, logger: logger)
        let writer = DatabaseWorker(name: "db-writer", database: writeConnection, transactional: true, commitWindow: commitWindow)
        let readers: [DatabaseWorker]
        do {
            readers = try Self.startReaders(readerCount) {
                let connection = try Database(path: path)
                try Migrator.configureReader(connection)
                return connection
            }
        } catch {
            writer.stop()
            checkpointer.stop()
            throw error
        }
        let pool = ReaderPool {
            let connection = try Database(path: path)
            try Migrator.configureReader(connection)
            return connection
        }
        self.init(engine: .sqlite, databasePath: path, writer: writer, checkpointer: checkpointer, readers: readers,
                  readerPool: pool, epoch: UUID().uuidString, logger: logger)
        // This process is the file's only writer: the revoked ids read at open, and every revocation it commits, are all.
        revokedTokens.load(revoked)
    }

    /// Connects to the PostgreSQL database at `url` (a `postgresql://` URL or a libpq connection
    /// string), with the password in `passwordFile` if given (it wins over one in the URL), and
    /// brings its schema up to date unless another instance already has. Each worker has a
    /// connection of its own; ``readOnCallingThread(_:)`` lends connections as on SQLite. The URL's
    /// password is never logged.
    public convenience init(postgres url: String, passwordFile: String? = nil, readers readerCount: Int = 2, logger: Logger,
                            commitWindow: Duration = .zero) throws {
        let parameters = try PostgresParameters(url: url, passwordFile: passwordFile)
        let readOnly = parameters.readOnlySessions
        let writeConnection = try Database(postgres: parameters)
        let (before, epoch) = try PostgresMigrator.migrate(writeConnection)
        if before < Schema.latestVersion {
            logger.info("database migrated", ["from": .int(before), "to": .int(Schema.latestVersion)])
        }
        let writer = DatabaseWorker(name: "db-writer", database: writeConnection, transactional: true, commitWindow: commitWindow)
        let readers: [DatabaseWorker]
        do {
            readers = try Self.startReaders(readerCount) { try Database(postgres: readOnly) }
        } catch {
            writer.stop()
            throw error
        }
        logger.info("PostgreSQL database opened", parameters.logFields.mapValues { .string($0) })
        self.init(engine: .postgres, databasePath: nil, writer: writer, checkpointer: nil, readers: readers,
                  readerPool: ReaderPool { try Database(postgres: readOnly) }, epoch: epoch, logger: logger)
    }

    /// `count` (at least one) reader workers on connections from `open`; none left running if one fails.
    private static func startReaders(_ count: Int, _ open: () throws -> sending Database) throws -> [DatabaseWorker] {
        var readers: [DatabaseWorker] = []
        do {
            for index in 0..<max(1, count) {
                readers.append(DatabaseWorker(name: "db-reader-\(index)", database: try open(), transactional: false))
            }
        } catch {
            for reader in readers { reader.stop() }
            throw error
        }
        return readers
    }

    /// Runs a read on one of the reader connections.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let reader = readers[nextReader.next() % readers.count]
        do {
            return try await reader.perform(body)
        } catch let error as PostgresError {
            throw status(error)
        }
    }

    /// Runs a short read on the calling thread, on a connection lent by ``readerPool``. Only for
    /// threads outside the cooperative pool (the RPC server's connection threads).
    func readOnCallingThread<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try readerPool.withConnection(body)
        } catch let error as PostgresError {
            throw status(error)
        }
    }

    /// Runs a write inside the writer's group transaction; acknowledged after COMMIT.
    /// A write that is not `durable` (a record that can be computed again) may be acknowledged
    /// before it is synced to disk, within 100 ms (``DatabaseWorker``).
    func write<T: Sendable>(durable: Bool = true, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.perform(durable: durable, body)
        } catch let error as PostgresError {
            throw status(error)
        }
    }

    /// The error a caller gets for a PostgreSQL failure: UNAVAILABLE while the database cannot be
    /// reached (the connection is opened again on its next use), ABORTED for a conflict retries did
    /// not resolve, otherwise the error itself (an internal error).
    private func status(_ error: PostgresError) -> Error {
        if error.isConnectionFailure {
            logger.warning("database unavailable", ["sqlstate": .string(error.sqlState ?? ""), "error": .string(error.message)])
        }
        return error.status ?? error
    }

    /// Stops the worker threads after their queued jobs.
    public func close() {
        writer.stop()
        checkpointer?.stop()
        for reader in readers { reader.stop() }
        readerPool.close()
    }

    /// Throws FAILED_PRECONDITION unless `tenant` exists (inside a write, so it cannot race a purge).
    static func requireTenant(_ database: Database, _ tenant: String) throws {
        guard try database.scalar("SELECT 1 FROM tenants WHERE id = ?", [.text(tenant)]) != nil else {
            throw RPCError(.failedPrecondition, "unknown tenant; create it first")
        }
    }

    static let jsonEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()

    static func json<T: Encodable>(_ value: T) throws -> SQLValue {
        .blob(Array(try jsonEncoder.encode(value)))
    }

    static func fromJSON<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(type, from: Data(bytes))
    }
}

/// A thread-safe counter for spreading reads.
final class AtomicCounter: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { $0 &+= 1; return $0 } }
}
