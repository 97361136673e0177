import Foundation
import Model

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

    /// Appends bytes that are already JSON (a part of what another writer wrote).
    public mutating func raw(_ json: ArraySlice<UInt8>) {
        bytes.append(contentsOf: json)
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

    /// Writes `value` as `JSONEncoder` does: integral values without a fraction, others as Swift's
    /// shortest round-trip `description`. Scores and factors (rounded to a few decimals) take a fast
    /// path that prints the digits directly: when `value` is the double nearest to a decimal with at
    /// most six places, that decimal is the shortest text that reads back as `value`, so it is
    /// exactly what `description` prints (in the range where `description` does not use an exponent).
    public mutating func number(_ value: Double) throws {
        guard value.isFinite else { throw NonFiniteNumber() }
        let magnitude = value.magnitude
        if value == value.rounded(), magnitude <= 9_007_199_254_740_992 {  // 2^53, as JSONEncoder
            if value.sign == .minus { bytes.append(UInt8(ascii: "-")) }
            integer(Int64(magnitude))
            return
        }
        if magnitude >= 1e-4, magnitude < 1e9 {
            let scaled = (magnitude * 1e6).rounded()
            if scaled / 1e6 == magnitude {
                if value < 0 { bytes.append(UInt8(ascii: "-")) }
                let micros = Int64(scaled)
                integer(micros / 1_000_000)
                fraction(micros % 1_000_000)
                return
            }
        }
        bytes.append(contentsOf: value.description.utf8)
    }

    /// The decimal digits of `value`.
    public mutating func integer(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        digits(value.magnitude, width: 0)
    }

    /// The decimal digits of `value`, left-padded with zeros to `width`, appended at once.
    private mutating func digits(_ value: UInt64, width: Int) {
        if value < 10 && width <= 1 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(value))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var rest = value
            var start = 20
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") &+ UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            while 20 - start < width {
                start -= 1
                buffer[start] = UInt8(ascii: "0")
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<20]))
        }
    }

    /// `.` and the six-digit fraction `micros` (0 < micros < 10^6) without trailing zeros; nothing for 0.
    private mutating func fraction(_ micros: Int64) {
        guard micros > 0 else { return }
        bytes.append(UInt8(ascii: "."))
        var digits = micros
        var width = 6
        while digits % 10 == 0 {
            digits /= 10
            width -= 1
        }
        self.digits(UInt64(digits), width: width)
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
        var order = FactorOrder()
        try self.factors(factors, order: &order)
    }

    /// The factor names of the last factors written, in their dictionary's iteration order, and
    /// those positions sorted by name: the candidates of one ranking have the same factors in the
    /// same order, so their names are compared (not hashed) and sorted once per ranking.
    private struct FactorOrder {
        var names: [String] = []
        var sorted: [Int] = []
    }

    /// ``factors(_:)`` reusing the order of the previous call's factors when they have the same names.
    private mutating func factors(_ factors: [String: RankedCandidate.Factor], order: inout FactorOrder) throws {
        var same = order.names.count == factors.count
        if same {
            for (position, name) in factors.keys.enumerated() where order.names[position] != name {
                same = false
                break
            }
        }
        if !same {
            let names = Array(factors.keys)
            order = FactorOrder(names: names, sorted: names.indices.sorted { names[$0] < names[$1] })
        }
        try withUnsafeTemporaryAllocation(of: RankedCandidate.Factor.self, capacity: factors.count) { values in
            for (position, factor) in factors.values.enumerated() { values.initializeElement(at: position, to: factor) }
            bytes.append(UInt8(ascii: "{"))
            for (index, position) in order.sorted.enumerated() {
                let factor = values[position]
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                key(order.names[position])
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

    /// `[{"factors","person","reasons","score"}]`, as `RankedCandidate` encodes; returns where each
    /// candidate's parts are in ``bytes``: its factors object, and all that follows its person
    /// (`,"reasons":[...],"score":N}`), so an answer that shows more about each person can reuse them.
    @discardableResult
    public mutating func candidates(_ candidates: [RankedCandidate]) throws -> [CandidatesJSON.Parts] {
        var spans: [CandidatesJSON.Parts] = []
        spans.reserveCapacity(candidates.count)
        var factorOrder = FactorOrder()
        bytes.append(UInt8(ascii: "["))
        for (index, candidate) in candidates.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            raw(CandidatesJSON.objectStart)
            let factorsStart = bytes.count
            try factors(candidate.factors, order: &factorOrder)
            let factorsEnd = bytes.count
            raw(CandidatesJSON.personKey)
            string(candidate.person)
            let restStart = bytes.count
            raw(",\"reasons\":")
            strings(candidate.reasons)
            raw(",\"score\":")
            try number(candidate.score)
            bytes.append(UInt8(ascii: "}"))
            spans.append(CandidatesJSON.Parts(factors: factorsStart..<factorsEnd, rest: restStart..<bytes.count))
        }
        bytes.append(UInt8(ascii: "]"))
        return spans
    }
}
