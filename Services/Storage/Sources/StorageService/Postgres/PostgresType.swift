/// The PostgreSQL types the store's columns and parameters use (by OID), their binary formats, and
/// the parameters of one run encoded for `PQexecPrepared`.
enum PostgresType {
    static let bool: UInt32 = 16
    static let bytea: UInt32 = 17
    static let char: UInt32 = 18
    static let name: UInt32 = 19
    static let int8: UInt32 = 20
    static let int2: UInt32 = 21
    static let int4: UInt32 = 23
    static let text: UInt32 = 25
    static let oid: UInt32 = 26
    static let float4: UInt32 = 700
    static let float8: UInt32 = 701
    static let unknown: UInt32 = 705
    static let bpchar: UInt32 = 1042
    static let varchar: UInt32 = 1043

    /// The type a parameter is declared with when its first value is `value` (0: inferred).
    static func declared(_ value: SQLValue) -> UInt32 {
        switch value {
        case .null: return 0
        case .integer: return int8
        case .real: return float8
        case .text: return text
        case .blob: return bytea
        }
    }

    /// Types whose binary format is the text's UTF-8 bytes.
    static func isText(_ type: UInt32) -> Bool {
        type == text || type == varchar || type == bpchar || type == name || type == char || type == unknown
    }

    /// Types whose binary format is their bytes as they are (text and `bytea`).
    static func isBytes(_ type: UInt32) -> Bool { type == bytea || isText(type) }

    /// A column's value from its binary format; types the store does not use come back as bytes.
    static func value(_ bytes: UnsafeRawBufferPointer, type: UInt32) -> SQLValue {
        switch type {
        case int8 where bytes.count == 8: return .integer(Int64(bigEndian: bytes.loadUnaligned(as: Int64.self)))
        case int4 where bytes.count == 4: return .integer(Int64(Int32(bigEndian: bytes.loadUnaligned(as: Int32.self))))
        case int2 where bytes.count == 2: return .integer(Int64(Int16(bigEndian: bytes.loadUnaligned(as: Int16.self))))
        case oid where bytes.count == 4: return .integer(Int64(UInt32(bigEndian: bytes.loadUnaligned(as: UInt32.self))))
        case bool where bytes.count == 1: return .integer(bytes[0] == 0 ? 0 : 1)
        case float8 where bytes.count == 8: return .real(Double(bitPattern: UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))))
        case float4 where bytes.count == 4: return .real(Double(Float(bitPattern: UInt32(bigEndian: bytes.loadUnaligned(as: UInt32.self)))))
        default:
            return isText(type) ? .text(String(decoding: bytes, as: UTF8.self)) : .blob(Array(bytes))
        }
    }

    /// The values of one run as `PQexecPrepared` takes them: pointers into one buffer (nil for NULL),
    /// lengths, and formats (1: binary, 0: text, NUL-terminated).
    struct Parameters {
        private var storage: [UInt8] = []
        private var offsets: [Int] = []
        private(set) var lengths: [Int32] = []
        private(set) var formats: [Int32] = []

        init(count: Int) {
            offsets.reserveCapacity(count)
            lengths.reserveCapacity(count)
            formats.reserveCapacity(count)
        }

        /// Adds `value` for a parameter of type `type`, in binary when the type has a binary format
        /// the value maps to, else as text that the server converts.
        mutating func append(_ value: SQLValue, as type: UInt32) throws {
            switch value {
            case .null:
                offsets.append(-1)
                lengths.append(0)
                formats.append(0)
            case .integer(let int):
                if type == int8 { binary(int.bigEndian) }
                else if type == int4, let small = Int32(exactly: int) { binary(small.bigEndian) }
                else if type == int2, let small = Int16(exactly: int) { binary(small.bigEndian) }
                else if type == float8 { binary(Double(int).bitPattern.bigEndian) }
                else if type == bool { binary(UInt8(int == 0 ? 0 : 1)) }
                else { textual(String(int)) }
            case .real(let double):
                if type == float8 { binary(double.bitPattern.bigEndian) }
                else if type == float4 { binary(Float(double).bitPattern.bigEndian) }
                else if double.isNaN { textual("NaN") }
                else if double.isInfinite { textual(double > 0 ? "Infinity" : "-Infinity") }
                else { textual(String(double)) }
            case .text(let text):
                if isBytes(type) {
                    binary(bytes: Array(text.utf8))
                } else {
                    guard !text.utf8.contains(0) else {
                        throw PostgresError(sqlState: "22021", message: "text with a NUL byte bound to a parameter of type \(type)")
                    }
                    textual(text)
                }
            case .blob(let bytes):
                guard isBytes(type) else {
                    throw PostgresError(sqlState: "42804", message: "bytes bound to a parameter of type \(type)")
                }
                binary(bytes: bytes)
            }
        }

        private mutating func binary<T: FixedWidthInteger>(_ value: T) {
            offsets.append(storage.count)
            lengths.append(Int32(MemoryLayout<T>.size))
            formats.append(1)
            withUnsafeBytes(of: value) { storage.append(contentsOf: $0) }
        }

        private mutating func binary(bytes: [UInt8]) {
            offsets.append(storage.count)
            lengths.append(Int32(bytes.count))
            formats.append(1)
            storage.append(contentsOf: bytes)
        }

        private mutating func textual(_ text: String) {
            offsets.append(storage.count)
            lengths.append(0)
            formats.append(0)
            storage.append(contentsOf: text.utf8)
            storage.append(0)
        }

        /// Calls `body` with the arrays libpq takes, valid during the call.
        mutating func withPointers<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) throws -> R) rethrows -> R {
            storage.append(0)   // a non-empty buffer: an empty value still gets a pointer (nil is NULL)
            return try storage.withUnsafeBufferPointer { buffer in
                let base = UnsafeRawPointer(buffer.baseAddress!)
                let pointers: [UnsafePointer<CChar>?] = offsets.map { $0 < 0 ? nil : (base + $0).assumingMemoryBound(to: CChar.self) }
                return try pointers.withUnsafeBufferPointer { values in
                    try lengths.withUnsafeBufferPointer { lengths in
                        try formats.withUnsafeBufferPointer { formats in
                            try body(values.baseAddress, lengths.baseAddress, formats.baseAddress)
                        }
                    }
                }
            }
        }
    }
}
