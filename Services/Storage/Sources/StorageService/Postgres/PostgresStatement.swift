import CLibPQ
import Foundation

/// A statement prepared on a PostgreSQL connection, and the rows of its last run: the PostgreSQL
/// side of ``Statement``. The SQL's `?` parameters are rewritten to `$N` once; the statement is
/// prepared on the server when it first runs (and again on a new connection). Parameters go in
/// binary where their type allows (bytes and text with their length, so a NUL inside text is
/// refused by the server instead of cutting the value short), results come back in binary: no hex
/// decoding of `bytea`, no parsing of numbers.
final class PostgresStatement {
    private unowned let connection: PostgresConnection
    private let sql: String
    private let parameterCount: Int
    private var name = ""
    /// The connection generation the statement is prepared in (0: not yet).
    private var generation = 0
    private var parameterTypes: [UInt32] = []
    private var values: [SQLValue] = []
    private var result: OpaquePointer?
    private var row: Int32 = -1
    private var rows: Int32 = 0
    private var columnTypes: [UInt32] = []

    init(connection: PostgresConnection, sql: String) {
        self.connection = connection
        (self.sql, parameterCount) = PostgresPlaceholders.rewrite(sql)
    }

    deinit { PQclear(result) }

    func reset() {
        if result != nil {
            PQclear(result)
            result = nil
        }
        values.removeAll(keepingCapacity: true)
        row = -1
        rows = 0
    }

    func bind(_ values: [SQLValue]) { self.values = values }

    /// Runs the statement on the first call, then moves to the next row; false when done.
    func step() throws -> Bool {
        if result == nil {
            try run()
            row = 0
        } else if row < rows {
            row += 1
        }
        return row < rows
    }

    private func run() throws {
        do {
            try runOnce()
        } catch let error as PostgresError where connection.isReadOnly && connection.mayRunAgain(after: error) {
            try runOnce()   // a read, on a new connection (the old one went stale with a server restart)
        }
    }

    private func runOnce() throws {
        try connection.connectIfNeeded()   // first: a new connection has none of the statements prepared
        if generation != connection.generation || name.isEmpty {
            // The types of the first values bound (NULL: the server infers it); later values are
            // sent as the types the server settled on.
            let declared = (0..<max(parameterCount, values.count)).map { $0 < values.count ? PostgresType.declared(values[$0]) : 0 }
            let name = connection.nextStatementName()
            parameterTypes = try connection.prepare(name, sql, types: declared)
            // Preparing may have reconnected: the statement belongs to the connection as it is now.
            self.name = name
            generation = connection.generation
        }
        guard values.count <= parameterTypes.count else {
            throw PostgresError(sqlState: "08P01", message: "\(values.count) values bound to a statement of \(parameterTypes.count) parameters")
        }
        var encoded = PostgresType.Parameters(count: parameterTypes.count)
        for (index, type) in parameterTypes.enumerated() {
            try encoded.append(index < values.count ? values[index] : .null, as: type)
        }
        let result = try encoded.withPointers { values, lengths, formats in
            try connection.executePrepared(name, count: parameterTypes.count, values: values, lengths: lengths, formats: formats)
        }
        self.result = result
        rows = PQntuples(result)
        columnTypes = (0..<PQnfields(result)).map { PQftype(result, $0) }
    }

    /// The bytes of column `index` in the current row; nil for NULL (or no row).
    private func raw(_ index: Int32) -> UnsafeRawBufferPointer? {
        guard let result, row >= 0, row < rows, index >= 0, Int(index) < columnTypes.count,
              PQgetisnull(result, row, index) == 0 else { return nil }
        return UnsafeRawBufferPointer(start: PQgetvalue(result, row, index), count: Int(PQgetlength(result, row, index)))
    }

    private func type(_ index: Int32) -> UInt32 { Int(index) < columnTypes.count ? columnTypes[Int(index)] : 0 }

    func value(_ index: Int32) -> SQLValue {
        guard let bytes = raw(index) else { return .null }
        return PostgresType.value(bytes, type: type(index))
    }

    func text(_ index: Int32) -> String? {
        guard let bytes = raw(index) else { return nil }
        if PostgresType.isBytes(type(index)) { return String(decoding: bytes, as: UTF8.self) }
        switch PostgresType.value(bytes, type: type(index)) {
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let value): return value
        case .blob(let value): return String(decoding: value, as: UTF8.self)
        case .null: return nil
        }
    }

    func withText<R>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        guard let bytes = raw(index) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        if PostgresType.isBytes(type(index)) { return try body(bytes.bindMemory(to: UInt8.self)) }
        var converted = text(index) ?? ""
        return try converted.withUTF8(body)
    }

    func withBlob<R>(_ index: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard let bytes = raw(index) else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        if PostgresType.isBytes(type(index)) { return try body(bytes) }
        var converted = text(index) ?? ""
        return try converted.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }

    func int(_ index: Int32) -> Int64 {
        guard let bytes = raw(index) else { return 0 }
        switch PostgresType.value(bytes, type: type(index)) {
        case .integer(let value): return value
        case .real(let value): return value.isFinite ? Int64(exactly: value.rounded(.towardZero)) ?? 0 : 0
        case .text(let value): return Int64(value) ?? 0
        case .blob, .null: return 0
        }
    }

    func double(_ index: Int32) -> Double? {
        guard let bytes = raw(index) else { return nil }
        switch PostgresType.value(bytes, type: type(index)) {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        case .text(let value): return Double(value) ?? 0
        case .blob, .null: return 0
        }
    }

    func blob(_ index: Int32) -> [UInt8] {
        guard let bytes = raw(index) else { return [] }
        return PostgresType.isBytes(type(index)) ? Array(bytes) : Array((text(index) ?? "").utf8)
    }

    func isNull(_ index: Int32) -> Bool { raw(index) == nil }
}
