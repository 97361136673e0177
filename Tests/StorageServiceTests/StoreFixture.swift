import Foundation
import Harness
import Observability
@testable import StorageService

/// Runs `body` with a store on a fresh SQLite database file holding the tenant `acme`, then closes
/// and removes it. For tests of what exists on SQLite alone (its files); the others take an engine.
func withStore(_ body: (Store, TemporaryDirectory) async throws -> Void) async throws {
    try await withStore(on: .sqlite) { store, database in try await body(store, database.dir) }
}

/// Runs `body` with a store on a fresh database of `engine` (a SQLite file, or a new database on the
/// test process's PostgreSQL server) holding the tenant `acme`, then closes and removes it.
func withStore(on engine: DatabaseEngine, _ body: (Store, TestDatabase) async throws -> Void) async throws {
    try await withTestDatabase(engine) { database in
        let store = try await database.store()
        defer { store.close() }
        _ = try await store.putTenant("acme", .init(name: "Acme"))
        try await body(store, database)
    }
}

/// Runs `body` with a fresh database of `engine` (no store on it yet), then removes it.
func withTestDatabase(_ engine: DatabaseEngine, _ body: (TestDatabase) async throws -> Void) async throws {
    let database = try await TestDatabase.make(engine)
    do {
        try await body(database)
    } catch {
        await database.remove()
        throw error
    }
    await database.remove()
}

/// A database of its own for one test: a SQLite file in a temporary directory, or a new database on
/// the PostgreSQL server the test process shares (``PostgresServer/shared()``), which fails the
/// test, with what to install, where PostgreSQL is missing.
struct TestDatabase: Sendable {
    let engine: DatabaseEngine
    /// A temporary directory (the SQLite file's).
    let dir: TemporaryDirectory
    let server: PostgresServer?
    /// The PostgreSQL database's name.
    let name: String?

    static func make(_ engine: DatabaseEngine) async throws -> TestDatabase {
        switch engine {
        case .sqlite:
            return TestDatabase(engine: .sqlite, dir: TemporaryDirectory(), server: nil, name: nil)
        case .postgres:
            let server = try await PostgresServer.shared()
            return try await make(on: server)
        }
    }

    /// A new database on `server`.
    static func make(on server: PostgresServer) async throws -> TestDatabase {
        let name = try await onThread { try server.createDatabase() }
        return TestDatabase(engine: .postgres, dir: TemporaryDirectory(), server: server, name: name)
    }

    /// The SQLite file's path.
    var path: String { dir.file("test.sqlite") }

    /// The PostgreSQL database's URL (its password is in the server's password file).
    var url: String { server!.url(database: name!) }

    /// A store on this database.
    func openStore(readers: Int = 2, logger: Logger = Logger(label: "test", sink: .discard)) throws -> Store {
        switch engine {
        case .sqlite: return try Store(path: path, readers: readers, logger: logger)
        case .postgres: return try Store(postgres: url, passwordFile: server!.passwordFile, readers: readers, logger: logger)
        }
    }

    /// ``openStore(readers:logger:)`` on a thread of its own: connecting and migrating block, and
    /// the cooperative pool has as many threads as cores.
    func store(readers: Int = 2, logger: Logger = Logger(label: "test", sink: .discard)) async throws -> Store {
        try await onThread { try openStore(readers: readers, logger: logger) }
    }

    /// A connection of its own to this database, outside any store.
    func openDatabase() throws -> Database {
        switch engine {
        case .sqlite: return try Database(path: path)
        case .postgres: return try Database(postgres: PostgresParameters(url: url, passwordFile: server!.passwordFile))
        }
    }

    /// Drops the database (PostgreSQL) and removes the directory.
    func remove() async {
        dir.remove()
        if let server, let name { try? await onThread { try server.dropDatabase(name) } }
    }
}

/// Runs blocking `body` on a thread of its own, not on the cooperative pool.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
