import Contracts
import Foundation
import Observability
import RPC
import Synchronization

/// The database of one deployment: a writer thread with group commit, reader threads for queries.
/// Every method takes the tenant it is scoped to.
public final class Store: Sendable {
    let writer: DatabaseWorker
    /// Copies the write-ahead log into the database file off the writer's thread.
    let checkpointer: Checkpointer
    private let readers: [DatabaseWorker]
    /// Connections lent to threads that read in place (see ``readOnCallingThread(_:)``).
    let readerPool: ReaderPool
    private let nextReader = AtomicCounter()
    let path: String
    let logger: Logger
    /// Distinguishes this opening of the database in data versions (a restored file may repeat numbers).
    let epoch = UUID().uuidString

    /// Opens (creating and migrating if needed) the database at `path`. Under a steady stream of
    /// writes a commit waits up to `commitWindow` for more writes to share it (``DatabaseWorker``).
    public init(path: String, readers readerCount: Int = 2, logger: Logger, commitWindow: Duration = .zero) throws {
        self.path = path
        self.logger = logger
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
        checkpointer = try Checkpointer.attach(to: writeConnection, path: path, logger: logger)
        writer = DatabaseWorker(name: "db-writer", database: writeConnection, transactional: true, commitWindow: commitWindow)
        var readers: [DatabaseWorker] = []
        for index in 0..<max(1, readerCount) {
            let connection = try Database(path: path)
            try Migrator.configureReader(connection)
            readers.append(DatabaseWorker(name: "db-reader-\(index)", database: connection, transactional: false))
        }
        self.readers = readers
        readerPool = ReaderPool(path: path)
    }

    /// Runs a read on one of the reader connections.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let reader = readers[nextReader.next() % readers.count]
        return try await reader.perform(body)
    }

    /// Runs a short read on the calling thread, on a connection lent by ``readerPool``. Only for
    /// threads outside the cooperative pool (the RPC server's connection threads).
    func readOnCallingThread<T>(_ body: (Database) throws -> T) throws -> T {
        try readerPool.withConnection(body)
    }

    /// Runs a write inside the writer's group transaction; acknowledged after COMMIT.
    /// A write that is not `durable` (a record that can be computed again) may be acknowledged
    /// before it is synced to disk, within 100 ms (``DatabaseWorker``).
    func write<T: Sendable>(durable: Bool = true, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.perform(durable: durable, body)
    }

    /// Stops the worker threads after their queued jobs.
    public func close() {
        writer.stop()
        checkpointer.stop()
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
