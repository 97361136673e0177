import CLibPQ
import Contracts
import Foundation
import RPC

/// A PostgreSQL failure: its SQLSTATE (nil when libpq failed on the client side, a lost connection
/// for example) and the server's primary message, kept in the server log, never sent to callers.
/// The message's DETAIL, which may quote row values (ticket text), is not kept.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public let sqlState: String?
    public let message: String
    /// The connection was found lost (the server restarted, the network failed).
    public let connectionLost: Bool

    init(sqlState: String?, message: String, connectionLost: Bool = false) {
        self.sqlState = sqlState
        self.message = message
        self.connectionLost = connectionLost
    }

    /// The error of a failed `result` on `connection` (either may be nil: no result at all).
    init(result: OpaquePointer?, connection: OpaquePointer?) {
        func field(_ code: UInt8) -> String? {
            guard let result, let value = PQresultErrorField(result, Int32(code)) else { return nil }
            return String(cString: value)
        }
        let lost = connection.map { PQstatus($0) == CONNECTION_BAD } ?? true
        let message = field(UInt8(ascii: "M"))
            ?? connection.flatMap { PQerrorMessage($0) }.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) }
            ?? "no result"
        self.init(sqlState: field(UInt8(ascii: "C")), message: message.isEmpty ? "unknown error" : message, connectionLost: lost)
    }

    /// A failure to reach the database, or a session it ended: the call may succeed later.
    /// (class 08: connection exception; 57P01-57P03: shut down, crashed, not accepting connections;
    /// 53300: too many connections.)
    public var isConnectionFailure: Bool {
        if connectionLost { return true }
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(sqlState)
    }

    /// A conflict with a concurrent transaction of another storage instance that running the
    /// transaction again resolves: a serialization failure (40001), a deadlock (40P01), or a unique
    /// violation (23505), which the store's writes hit only when another instance inserted the same
    /// key between their check and their INSERT (every other INSERT has an ON CONFLICT clause).
    public var isRetryable: Bool {
        guard let sqlState else { return false }
        return sqlState == "40001" || sqlState == "40P01" || sqlState == "23505"
    }

    /// What the caller of a storage method is told: UNAVAILABLE for a lost database, ABORTED for a
    /// conflict that retries did not resolve, nil for anything else (an internal error).
    var status: RPCError? {
        if isConnectionFailure { return StorageContract.databaseUnavailable }
        if isRetryable { return RPCError(.aborted, "the write conflicted with concurrent writes; try again") }
        return nil
    }

    public var description: String { "PostgreSQL error \(sqlState ?? "(client)"): \(message)" }
}
