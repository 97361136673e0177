import Foundation

/// A value bound to or read from the database (either engine).
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
