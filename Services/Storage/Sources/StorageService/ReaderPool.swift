import Foundation
import Synchronization

/// Read-only connections lent to the calling thread for short point reads, so a read costs no
/// hand-over to a reader thread and back (two wake-ups and a hop through the cooperative pool).
///
/// Only for callers that are not on the cooperative pool: the RPC server runs every handler on its
/// connection's own thread until the handler first suspends, so a handler that reads through the
/// pool answers without leaving that thread. A connection is opened when none is idle (as many as
/// threads read at once) and kept for the next read, up to ``maxIdle``. On PostgreSQL a lent
/// connection found lost is opened again on its next use, as the workers' are.
final class ReaderPool: Sendable {
    private struct State {
        var idle: [UncheckedBox<Database>] = []
        var closed = false
    }

    private let state = Mutex(State())
    /// Opens a read-only connection (SQLite's or PostgreSQL's).
    private let open: @Sendable () throws -> Database
    let maxIdle: Int

    init(maxIdle: Int = 16, open: @escaping @Sendable () throws -> Database) {
        self.open = open
        self.maxIdle = maxIdle
    }

    /// Runs `body` on an idle connection (or a new one) on this thread; the connection's read
    /// transaction, if `body` left one open, is ended before it is lent again.
    func withConnection<T>(_ body: (Database) throws -> T) throws -> T {
        let lent = try state.withLock { state -> UncheckedBox<Database>? in
            guard !state.closed else { throw StorageError.stopped }
            return state.idle.popLast()
        }
        let connection = try lent ?? UncheckedBox(open())
        defer { giveBack(connection) }
        do {
            let result = try body(connection.value)
            connection.value.resetStatements()
            return result
        } catch {
            connection.value.resetStatements()
            if connection.value.inTransaction { try? connection.value.control("ROLLBACK") }
            throw error
        }
    }

    /// Closes the idle connections; those lent out are closed when given back.
    func close() {
        let idle = state.withLock { state -> [UncheckedBox<Database>] in
            state.closed = true
            defer { state.idle.removeAll() }
            return state.idle
        }
        for connection in idle { connection.value.close() }
    }

    /// The number of idle connections (for tests).
    var idleCount: Int { state.withLock { $0.idle.count } }

    private func giveBack(_ connection: UncheckedBox<Database>) {
        let kept = state.withLock { state -> Bool in
            guard !state.closed, state.idle.count < maxIdle else { return false }
            state.idle.append(connection)
            return true
        }
        if !kept { connection.value.close() }
    }
}
