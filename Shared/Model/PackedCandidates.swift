/// Ranked candidates in a compact form for the wire (`scoring.v1/Rank` with `packed`): every string
/// once in `strings` and every number, count and string index as a little-endian Float64 in one byte
/// blob, so a ranking travels as two values instead of a keyed container per factor of every
/// candidate. ``unpack()`` gives back exactly the candidates packed.
public struct PackedCandidates: Codable, Sendable, Equatable {
    /// A blob that does not describe candidates.
    public struct Malformed: Error, Sendable {}

    /// Person ids, factor names and reasons, each distinct string once.
    public var strings: [String]
    /// Per candidate: person index, score, factor count, then index of the name, value, weight and
    /// contribution per factor, reason count, then the index of each reason.
    public var numbers: [UInt8]

    public init(_ candidates: [RankedCandidate]) {
        var strings: [String] = []
        var positions: [String: Int] = Dictionary(minimumCapacity: candidates.reduce(0) { $0 + 1 + $1.factors.count + $1.reasons.count })
        var numbers: [UInt8] = []
        numbers.reserveCapacity(candidates.reduce(0) { $0 + 8 * (4 + 4 * $1.factors.count + $1.reasons.count) })
        func index(_ text: String) -> Double {
            if let known = positions[text] { return Double(known) }
            positions[text] = strings.count
            strings.append(text)
            return Double(strings.count - 1)
        }
        // Factor names repeat in every candidate: the few seen are compared first (no hashing for each).
        var factorNames: [(name: String, index: Double)] = []
        func factorIndex(_ name: String) -> Double {
            for known in factorNames where known.name == name { return known.index }
            let found = index(name)
            if factorNames.count < 16 { factorNames.append((name, found)) }
            return found
        }
        func put(_ number: Double) {
            withUnsafeBytes(of: number.bitPattern.littleEndian) { numbers.append(contentsOf: $0) }
        }
        for candidate in candidates {
            put(index(candidate.person))
            put(candidate.score)
            put(Double(candidate.factors.count))
            for (name, factor) in candidate.factors {
                put(factorIndex(name))
                put(factor.value)
                put(factor.weight)
                put(factor.contribution)
            }
            put(Double(candidate.reasons.count))
            for reason in candidate.reasons { put(index(reason)) }
        }
        self.strings = strings
        self.numbers = numbers
    }

    /// The candidates packed, in their order; ``Malformed`` for a blob that does not describe any.
    public func unpack() throws -> [RankedCandidate] {
        guard numbers.count % 8 == 0 else { throw Malformed() }
        return try numbers.withUnsafeBytes { buffer throws -> [RankedCandidate] in
            var offset = 0
            func number() throws(Malformed) -> Double {
                guard offset + 8 <= buffer.count else { throw Malformed() }
                defer { offset += 8 }
                return Double(bitPattern: UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            }
            func count(limit: Int) throws(Malformed) -> Int {
                let value = try number()
                guard value >= 0, value <= Double(limit), value == value.rounded() else { throw Malformed() }
                return Int(value)
            }
            func string() throws(Malformed) -> String { strings[try count(limit: strings.count - 1)] }
            var candidates: [RankedCandidate] = []
            while offset < buffer.count {
                let person = try string()
                let score = try number()
                let factorCount = try count(limit: buffer.count / 32)
                var factors: [String: RankedCandidate.Factor] = [:]
                factors.reserveCapacity(factorCount)
                for _ in 0..<factorCount {
                    let name = try string()
                    factors[name] = RankedCandidate.Factor(value: try number(), weight: try number(), contribution: try number())
                }
                let reasonCount = try count(limit: buffer.count / 8)
                var reasons: [String] = []
                reasons.reserveCapacity(reasonCount)
                for _ in 0..<reasonCount { reasons.append(try string()) }
                candidates.append(RankedCandidate(person: person, score: score, factors: factors, reasons: reasons))
            }
            return candidates
        }
    }
}
