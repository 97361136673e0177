/// The first JSONSyntax (byte by byte through optionals, plainly written): the reference the fast one
/// must agree with on every input, result and error offset alike.
struct ReferenceJSONSyntax {
    struct Invalid: Error {
        let offset: Int
    }

    private let bytes: UnsafeRawBufferPointer
    private var offset = 0
    private let maxDepth: Int

    private init(_ bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// The number of elements of `json`, which must be a well-formed array of objects (nested at
    /// most `maxDepth` deep), or ``Invalid`` with the offset of the first problem.
    static func arrayOfObjects(_ json: [UInt8], maxDepth: Int = 16) throws(Invalid) -> Int {
        let result: Result<Int, Invalid> = json.withUnsafeBytes { buffer in
            var parser = ReferenceJSONSyntax(buffer, maxDepth: maxDepth)
            do throws(Invalid) { return .success(try parser.topLevelArray()) } catch { return .failure(error) }
        }
        return try result.get()
    }

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
        guard offset == bytes.count else { throw Invalid(offset: offset) }
        return count
    }

    private func peek() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private mutating func expect(_ byte: UInt8) throws(Invalid) {
        guard peek() == byte else { throw Invalid(offset: offset) }
        offset += 1
    }

    private mutating func skipSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { offset += 1 }
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
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: try number()
        }
    }

    private mutating func literal(_ word: StaticString) throws(Invalid) {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count else { throw Invalid(offset: offset) }
        for index in 0..<count where bytes[offset + index] != word.utf8Start[index] { throw Invalid(offset: offset + index) }
        offset += count
    }

    private mutating func string() throws(Invalid) {
        try expect(UInt8(ascii: "\""))
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                return
            case UInt8(ascii: "\\"):
                offset += 1
                switch peek() {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    offset += 1
                case UInt8(ascii: "u"):
                    offset += 1
                    for _ in 0..<4 {
                        guard let digit = peek(), Self.isHex(digit) else { throw Invalid(offset: offset) }
                        offset += 1
                    }
                default: throw Invalid(offset: offset)
                }
            case 0..<0x20: throw Invalid(offset: offset)
            case 0x80...: try utf8Sequence()
            default: offset += 1
            }
        }
        throw Invalid(offset: offset)   // unterminated
    }

    /// One multi-byte UTF-8 sequence (no overlong forms, no surrogates, at most U+10FFFF).
    private mutating func utf8Sequence() throws(Invalid) {
        let lead = bytes[offset]
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
        guard offset + length <= bytes.count else { throw Invalid(offset: offset) }
        for index in 1..<length {
            let byte = bytes[offset + index]
            let (min, max) = index == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
            guard byte >= min, byte <= max else { throw Invalid(offset: offset + index) }
        }
        offset += length
    }

    private mutating func number() throws(Invalid) {
        if peek() == UInt8(ascii: "-") { offset += 1 }
        guard let first = peek(), Self.isDigit(first) else { throw Invalid(offset: offset) }
        offset += 1
        if first != UInt8(ascii: "0") { while let digit = peek(), Self.isDigit(digit) { offset += 1 } }
        if peek() == UInt8(ascii: ".") {
            offset += 1
            try digits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            try digits()
        }
    }

    private mutating func digits() throws(Invalid) {
        guard let first = peek(), Self.isDigit(first) else { throw Invalid(offset: offset) }
        offset += 1
        while let digit = peek(), Self.isDigit(digit) { offset += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    private static func isHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }
}
