import Foundation

/// A minimal JSON writer for the hot paths (recommendation answers, the decision log's candidates),
/// where Foundation's `JSONEncoder` dominated the CPU profile. Writes what `JSONEncoder` with sorted
/// keys writes for the same values (slashes unescaped, integral doubles without a fraction) and, like
/// it, refuses non-finite numbers.
public struct JSONWriter {
    public struct NonFiniteNumber: Error {}

    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = value
        text.withUTF8 { utf8 in
            // Runs of bytes that need no escaping are copied at once.
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if start < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index])) }
                escape(byte)
                start = index + 1
            }
            if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): raw("\\\"")
        case UInt8(ascii: "\\"): raw("\\\\")
        case 0x0A: raw("\\n")
        case 0x0D: raw("\\r")
        case 0x09: raw("\\t")
        case 0x08: raw("\\b")
        case 0x0C: raw("\\f")
        default:
            raw("\\u00")
            let digits: StaticString = "0123456789abcdef"
            bytes.append(digits.utf8Start[Int(byte >> 4)])
            bytes.append(digits.utf8Start[Int(byte & 0x0F)])
        }
    }

    public mutating func optionalString(_ value: String?) {
        if let value { string(value) } else { raw("null") }
    }

    public mutating func number(_ value: Double) throws {
        guard value.isFinite else { throw NonFiniteNumber() }
        if value == value.rounded(), abs(value) < 1e15 {
            bytes.append(contentsOf: String(Int64(value)).utf8)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    /// `"key":` (the caller keeps keys sorted and writes the commas).
    public mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func strings(_ values: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// `{"contribution","value","weight"}` per factor name, names sorted.
    public mutating func factors(_ factors: [String: RankedCandidate.Factor]) throws {
        bytes.append(UInt8(ascii: "{"))
        for (index, name) in factors.keys.sorted().enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            let factor = factors[name]!
            key(name)
            raw("{\"contribution\":")
            try number(factor.contribution)
            raw(",\"value\":")
            try number(factor.value)
            raw(",\"weight\":")
            try number(factor.weight)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// `[{"evidence","name","source","weight"}]`, as `DetectedSkill` encodes.
    public mutating func skills(_ skills: [DetectedSkill]) throws {
        bytes.append(UInt8(ascii: "["))
        for (index, skill) in skills.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            raw("{\"evidence\":")
            strings(skill.evidence)
            raw(",\"name\":")
            string(skill.name)
            raw(",\"source\":")
            string(skill.source.rawValue)
            raw(",\"weight\":")
            try number(skill.weight)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// `[{"factors","person","reasons","score"}]`, as `RankedCandidate` encodes.
    public mutating func candidates(_ candidates: [RankedCandidate]) throws {
        bytes.append(UInt8(ascii: "["))
        for (index, candidate) in candidates.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            raw("{\"factors\":")
            try factors(candidate.factors)
            raw(",\"person\":")
            string(candidate.person)
            raw(",\"reasons\":")
            strings(candidate.reasons)
            raw(",\"score\":")
            try number(candidate.score)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
