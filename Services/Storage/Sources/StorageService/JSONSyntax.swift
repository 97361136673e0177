/// A strict JSON syntax check (RFC 8259) that allocates nothing, for JSON that storage keeps as
/// sent (a decision's candidates): a malformed document is refused before it is written, so every
/// stored document decodes later.
///
/// One pass over the bytes through a raw pointer: no optional per byte, string runs of plain ASCII
/// skipped eight bytes at a time.
struct JSONSyntax {
    struct Invalid: Error {
        let offset: Int
    }

    private let base: UnsafePointer<UInt8>
    private let end: Int
    private var offset = 0
    private let maxDepth: Int

    private init(_ base: UnsafePointer<UInt8>, count: Int, maxDepth: Int) {
        self.base = base
        self.end = count
        self.maxDepth = maxDepth
    }

    /// The number of elements of `json`, which must be a well-formed array of objects (nested at
    /// most `maxDepth` deep), or ``Invalid`` with the offset of the first problem.
    static func arrayOfObjects(_ json: [UInt8], maxDepth: Int = 16) throws(Invalid) -> Int {
        let result: Result<Int, Invalid> = json.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return .failure(Invalid(offset: 0)) }
            var parser = JSONSyntax(base, count: buffer.count, maxDepth: maxDepth)
            do throws(Invalid) { return .success(try parser.topLevelArray()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    /// The byte at `offset`, or 0 (never valid where a token is expected) at the end.
    @inline(__always) private func peek() -> UInt8 { offset < end ? base[offset] : 0 }

    private mutating func topLevelArray() throws(Invalid) -> Int {
        skipSpace()
        try expect(UInt8(ascii: "["))
        var count = 0
        skipSpace()
        if peek() == UInt8(ascii: "]") {
            offset += 1
        } else {
            while true {
                skipSpace()
                guard peek() == UInt8(ascii: "{") else { throw Invalid(offset: offset) }
                try value(depth: 1)
                count += 1
                skipSpace()
                if peek() == UInt8(ascii: ",") { offset += 1; continue }
                try expect(UInt8(ascii: "]"))
                break
            }
        }
        skipSpace()
        guard offset == end else { throw Invalid(offset: offset) }
        return count
    }

    @inline(__always) private mutating func expect(_ byte: UInt8) throws(Invalid) {
        guard peek() == byte else { throw Invalid(offset: offset) }
        offset += 1
    }

    @inline(__always) private mutating func skipSpace() {
        while offset < end {
            switch base[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(Invalid) {
        guard depth <= maxDepth else { throw Invalid(offset: offset) }
        skipSpace()
        switch peek() {
        case UInt8(ascii: "{"):
            offset += 1
            skipSpace()
            if peek() == UInt8(ascii: "}") { offset += 1; return }
            while true {
                skipSpace()
                try string()
                skipSpace()
                try expect(UInt8(ascii: ":"))
                try value(depth: depth + 1)
                skipSpace()
                if peek() == UInt8(ascii: ",") { offset += 1; continue }
                try expect(UInt8(ascii: "}"))
                return
            }
        case UInt8(ascii: "["):
            offset += 1
            skipSpace()
            if peek() == UInt8(ascii: "]") { offset += 1; return }
            while true {
                try value(depth: depth + 1)
                skipSpace()
                if peek() == UInt8(ascii: ",") { offset += 1; continue }
                try expect(UInt8(ascii: "]"))
                return
            }
        case Self.quote: try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: try number()
        }
    }

    private mutating func literal(_ word: StaticString) throws(Invalid) {
        let count = word.utf8CodeUnitCount
        guard offset + count <= end else { throw Invalid(offset: offset) }
        for index in 0..<count where base[offset + index] != word.utf8Start[index] { throw Invalid(offset: offset + index) }
        offset += count
    }

    private mutating func string() throws(Invalid) {
        try expect(Self.quote)
        while true {
            skipPlain()
            guard offset < end else { throw Invalid(offset: offset) }   // unterminated
            let byte = base[offset]
            if byte == Self.quote {
                offset += 1
                return
            } else if byte == Self.backslash {
                offset += 1
                switch peek() {
                case Self.quote, Self.backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    offset += 1
                case UInt8(ascii: "u"):
                    offset += 1
                    for _ in 0..<4 {
                        guard Self.isHex(peek()) else { throw Invalid(offset: offset) }
                        offset += 1
                    }
                default: throw Invalid(offset: offset)
                }
            } else if byte < 0x20 {
                throw Invalid(offset: offset)
            } else {
                try utf8Sequence()
            }
        }
    }

    /// Skips printable ASCII other than `"` and `\`, eight bytes at a time while it can.
    @inline(__always) private mutating func skipPlain() {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        while offset + 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
            let control = (word &- ones &* 0x20) & ~word & highs            // a byte below 0x20
            let quoted = word ^ (ones &* UInt64(Self.quote))
            let escaped = word ^ (ones &* UInt64(Self.backslash))
            let special = control | (word & highs) | ((quoted &- ones) & ~quoted & highs) | ((escaped &- ones) & ~escaped & highs)
            if special != 0 {
                offset += (special.trailingZeroBitCount >> 3)
                return
            }
            offset += 8
        }
        while offset < end {
            let byte = base[offset]
            guard byte >= 0x20, byte < 0x80, byte != Self.quote, byte != Self.backslash else { return }
            offset += 1
        }
    }

    /// One multi-byte UTF-8 sequence (no overlong forms, no surrogates, at most U+10FFFF).
    private mutating func utf8Sequence() throws(Invalid) {
        let lead = base[offset]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw Invalid(offset: offset)
        }
        guard offset + length <= end else { throw Invalid(offset: offset) }
        for index in 1..<length {
            let byte = base[offset + index]
            let (min, max) = index == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
            guard byte >= min, byte <= max else { throw Invalid(offset: offset + index) }
        }
        offset += length
    }

    private mutating func number() throws(Invalid) {
        if peek() == UInt8(ascii: "-") { offset += 1 }
        let first = peek()
        guard Self.isDigit(first) else { throw Invalid(offset: offset) }
        offset += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        if peek() == UInt8(ascii: ".") {
            offset += 1
            try digits()
        }
        let exponent = peek()
        if exponent == UInt8(ascii: "e") || exponent == UInt8(ascii: "E") {
            offset += 1
            let sign = peek()
            if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { offset += 1 }
            try digits()
        }
    }

    private mutating func digits() throws(Invalid) {
        guard Self.isDigit(peek()) else { throw Invalid(offset: offset) }
        offset += 1
        skipDigits()
    }

    /// Skips ASCII digits, eight at a time while it can (numbers here have up to 17 of them).
    @inline(__always) private mutating func skipDigits() {
        let nibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0, threes: UInt64 = 0x3030_3030_3030_3030, sixes: UInt64 = 0x0606_0606_0606_0606
        while offset + 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
            // A digit is 0x30...0x39: high nibble 3, and still 3 after adding 6 (no byte carries out).
            guard word & nibbles == threes, (word &+ sixes) & nibbles == threes else { break }
            offset += 8
        }
        while offset < end, Self.isDigit(base[offset]) { offset += 1 }
    }

    @inline(__always) private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
    private static func isHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20) &- UInt8(ascii: "a") < 6
    }
}
