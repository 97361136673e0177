import CLibPQ
import Foundation

/// One libpq connection: the PostgreSQL side of ``Database``. Not thread-safe: each connection is
/// used by one thread at a time.
///
/// **Lost connections.** A connection found broken (the server restarted, the network failed) is
/// opened again on its next use, and the statements prepared on it are prepared again
/// (``generation``). Never inside a transaction, though: when the connection broke in one, every
/// statement fails until the caller's ROLLBACK (which the server did when the session ended), so
/// no statement meant for that transaction runs, committed on its own, on a new session.
///
/// A connection idle while the server restarted only learns it when it is next used. What is safe to
/// run twice then runs again at once on a new connection (``mayRunAgain(after:)``): a BEGIN, and
/// any statement of a read-only session outside a transaction; anything else fails (UNAVAILABLE for
/// the caller), since the server may have run it before the connection broke.
final class PostgresConnection {
    private var handle: OpaquePointer?
    private let parameters: PostgresParameters
    /// Counts the connections made: statements prepared under an earlier one are prepared again.
    private(set) var generation = 0
    private var statementCounter = 0
    /// Rows changed by the last statement.
    private(set) var lastChanges = 0
    /// The connection broke inside a transaction that the caller has not rolled back yet.
    private var lostInTransaction = false

    init(_ parameters: PostgresParameters) throws {
        self.parameters = parameters
        try connect()
    }

    deinit { close() }

    func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    private func connect() throws {
        close()
        let keywords = parameters.connectionKeywords
        let connection = withCStrings(keywords.map(\.0)) { names in
            withCStrings(keywords.map(\.1)) { values in PQconnectdbParams(names, values, 1) }
        }
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let error = PostgresError(sqlState: Self.cannotConnect, message: connection.flatMap { PQerrorMessage($0) }
                .map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "cannot connect", connectionLost: true)
            if let connection { PQfinish(connection) }
            throw error
        }
        // Notices (IF NOT EXISTS skips, WARNINGs) would go to standard error; the store's errors are enough.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
        generation += 1
    }

    /// Whether a transaction is open (or was, when the connection broke, until it is rolled back).
    var inTransaction: Bool {
        if lostInTransaction { return true }
        guard let handle else { return false }
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    /// Opens the connection again if it is known broken (outside a transaction).
    func connectIfNeeded() throws {
        _ = try ready()
    }

    /// The connection, opened again if it broke outside a transaction.
    private func ready() throws -> OpaquePointer {
        if lostInTransaction {
            throw PostgresError(sqlState: "08003", message: "the connection was lost in a transaction", connectionLost: true)
        }
        if let handle, PQstatus(handle) == CONNECTION_OK { return handle }
        try connect()
        return handle!
    }

    /// Runs one or more statements without parameters (PQexec).
    func execute(_ sql: String) throws {
        if lostInTransaction && sql == "ROLLBACK" {
            lostInTransaction = false   // the server rolled it back when the session ended
            return
        }
        do {
            try executeOnce(sql)
        } catch let error as PostgresError where sql.hasPrefix("BEGIN") && mayRunAgain(after: error) {
            try executeOnce(sql)
        }
    }

    private func executeOnce(_ sql: String) throws {
        let connection = try ready()
        let wasInTransaction = inTransaction
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check(result, connection, wasInTransaction: wasInTransaction)
    }

    /// Whether a statement that failed with `error` may run again on a new connection: the
    /// connection was found lost by the statement itself (not by a failed reconnection), outside a
    /// transaction. Callers add what makes running it twice harmless (a read-only session, a BEGIN).
    func mayRunAgain(after error: PostgresError) -> Bool {
        error.connectionLost && error.sqlState != Self.cannotConnect && !lostInTransaction
    }

    /// Whether sessions refuse writes (statements on them can run twice).
    var isReadOnly: Bool { parameters.readOnly }

    /// The SQLSTATE of a failed (re)connection.
    static let cannotConnect = "08001"

    /// A fresh name for a prepared statement of this connection.
    func nextStatementName() -> String {
        statementCounter += 1
        return "s\(statementCounter)"
    }

    /// Prepares `sql` as `name` with the parameter types `types` (0: the server infers it), and
    /// returns the types the server settled on. Reconnects first if need be: the caller checks
    /// ``generation`` before and prepares again when it changed.
    func prepare(_ name: String, _ sql: String, types: [UInt32]) throws -> [UInt32] {
        let connection = try ready()
        let wasInTransaction = inTransaction
        let prepared = types.withUnsafeBufferPointer { PQprepare(connection, name, sql, Int32(types.count), $0.baseAddress) }
        defer { PQclear(prepared) }
        try check(prepared, connection, wasInTransaction: wasInTransaction)
        let described = PQdescribePrepared(connection, name)
        defer { PQclear(described) }
        try check(described, connection, wasInTransaction: wasInTransaction)
        return (0..<PQnparams(described)).map { PQparamtype(described, $0) }
    }

    /// Runs the prepared statement `name` with the parameters given as libpq takes them; returns
    /// its result (binary format), which the caller clears.
    func executePrepared(_ name: String, count: Int, values: UnsafePointer<UnsafePointer<CChar>?>?,
                         lengths: UnsafePointer<Int32>?, formats: UnsafePointer<Int32>?) throws -> OpaquePointer {
        let connection = try ready()
        let wasInTransaction = inTransaction
        let result = PQexecPrepared(connection, name, Int32(count), values, lengths, formats, 1)
        do {
            try check(result, connection, wasInTransaction: wasInTransaction)
        } catch {
            PQclear(result)
            throw error
        }
        return result!
    }

    /// Throws the error of `result` unless it succeeded; notes the rows it changed.
    private func check(_ result: OpaquePointer?, _ connection: OpaquePointer, wasInTransaction: Bool) throws {
        let status = result.map { PQresultStatus($0) } ?? PGRES_FATAL_ERROR
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY else {
            let error = PostgresError(result: result, connection: connection)
            if PQstatus(connection) != CONNECTION_OK && wasInTransaction { lostInTransaction = true }
            throw error
        }
        lastChanges = result.flatMap { PQcmdTuples($0) }.flatMap { Int(String(cString: $0)) } ?? 0
    }
}

/// Calls `body` with `strings` as a NULL-terminated array of C strings, valid during the call.
private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
