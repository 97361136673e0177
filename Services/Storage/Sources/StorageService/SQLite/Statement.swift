import CSQLite
import Foundation

/// A value bound to or read from SQLite.
public enum SQLValue: Equatable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var int: Int64? { if case .integer(let value) = self { return value } else { return nil } }
    public var double: Double? {
        switch self {
        case .real(let value): return value
        case .integer(let value): return Double(value)
        default: return nil
        }
    }
    public var string: String? { if case .text(let value) = self { return value } else { return nil } }
    public var bytes: [UInt8]? {
        switch self {
        case .blob(let value): return value
        case .text(let value): return Array(value.utf8)
        default: return nil
        }
    }
}

extension SQLValue {
    /// Text, or NULL for nil.
    public static func optional(_ text: String?) -> SQLValue { text.map { .text($0) } ?? .null }
    /// Real, or NULL for nil.
    public static func optional(_ number: Double?) -> SQLValue { number.map { .real($0) } ?? .null }
    /// A date as seconds since 1970.
    public static func date(_ date: Date) -> SQLValue { .real(date.timeIntervalSince1970) }
    /// A date, or NULL for nil.
    public static func optionalDate(_ date: Date?) -> SQLValue { date.map { .real($0.timeIntervalSince1970) } ?? .null }
    /// A boolean as 0 or 1.
    public static func bool(_ value: Bool) -> SQLValue { .integer(value ? 1 : 0) }
}

private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement, owned and cached by its ``Database``.
public final class Statement {
    private let handle: OpaquePointer
    private unowned let database: Database

    init(handle: OpaquePointer, database: Database) {
        self.handle = handle
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds `values` to parameters 1...n.
    public func bind(_ values: [SQLValue]) throws {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let result: Int32
            switch value {
            case .null: result = sqlite3_bind_null(handle, index)
            case .integer(let int): result = sqlite3_bind_int64(handle, index, int)
            case .real(let double): result = sqlite3_bind_double(handle, index, double)
            case .text(let text):
                // With its byte count: passed as a C string, text would end at its first NUL
                // (a key "WEB-1\0x" would then find WEB-1).
                var text = text
                result = text.withUTF8 { bytes -> Int32 in
                    guard let base = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_text(handle, index, "", 0, SQLITE_TRANSIENT) }
                    return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                        sqlite3_bind_text(handle, index, $0, Int32(bytes.count), SQLITE_TRANSIENT)
                    }
                }
            case .blob(let bytes):
                result = bytes.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), SQLITE_TRANSIENT) }
            }
            guard result == SQLITE_OK else { throw SQLiteError(code: result, message: database.lastMessage) }
        }
    }

    /// Advances to the next row; false when done.
    public func step() throws -> Bool {
        let result = sqlite3_step(handle)
        switch result {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = SQLiteError(code: result, message: database.lastMessage)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// The value of column `index` of the current row.
    public func value(_ index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT: return .text(text(index) ?? "")
        case SQLITE_BLOB: return .blob(blob(index))
        default: return .null
        }
    }

    /// Column `index` as text, nil for NULL.
    public func text(_ index: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, index) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// Calls `body` with the bytes of column `index` as text, without copying them (empty for NULL);
    /// the bytes are valid only during the call.
    public func withText<R>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let pointer = sqlite3_column_text(handle, index)
        let count = Int(sqlite3_column_bytes(handle, index))
        return try body(UnsafeBufferPointer(start: pointer, count: pointer == nil ? 0 : count))
    }

    /// Calls `body` with the bytes of column `index` as a blob, without copying them (empty for NULL);
    /// the bytes are valid only during the call.
    public func withBlob<R>(_ index: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let pointer = sqlite3_column_blob(handle, index)
        let count = Int(sqlite3_column_bytes(handle, index))
        return try body(UnsafeRawBufferPointer(start: pointer, count: pointer == nil ? 0 : count))
    }

    /// Column `index` as an integer (0 for NULL).
    public func int(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// Column `index` as a double, nil for NULL.
    public func double(_ index: Int32) -> Double? {
        sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : sqlite3_column_double(handle, index)
    }

    /// Column `index` as a date, nil for NULL.
    public func date(_ index: Int32) -> Date? { double(index).map(Date.init(timeIntervalSince1970:)) }

    /// Column `index` as bytes (empty for NULL).
    public func blob(_ index: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, index))
        guard count > 0, let pointer = sqlite3_column_blob(handle, index) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// Whether column `index` is NULL.
    public func isNull(_ index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }
}
