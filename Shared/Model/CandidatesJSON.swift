/// Ranked candidates as the JSON the decision log keeps (`[{"factors","person","reasons","score"}]`,
/// written once by scoring), with each candidate's person and where its parts are in that JSON: the
/// gateway stores the bytes as they are and builds its answer from their parts, so the candidates are
/// never decoded and written again on the way.
public struct CandidatesJSON: Codable, Sendable, Equatable {
    /// The candidates' JSON array.
    public var bytes: [UInt8]
    /// Each candidate's person id, in ranking order.
    public var people: [String]
    /// Four byte offsets into `bytes` per candidate: where its `factors` object starts and ends, then
    /// where the rest after its person id (`,"reasons":[...],"score":N}`) starts and ends.
    public var offsets: [Int]

    public init(bytes: [UInt8], people: [String], offsets: [Int]) {
        self.bytes = bytes
        self.people = people
        self.offsets = offsets
    }

    /// How each candidate's object starts in `bytes`: then its factors object, ``personKey``, its person id
    /// (a JSON string), and the rest (`,"reasons":[...],"score":N}`). The writer (`JSONWriter.candidates`) and
    /// the reader that rebuilds each object with another person value (`JSONWriter.candidates(_:parts:person:)`)
    /// both use these, and nothing else knows the layout.
    @inlinable public static var objectStart: StaticString { "{\"factors\":" }
    /// What comes between a candidate's factors object and its person id.
    @inlinable public static var personKey: StaticString { ",\"person\":" }

    /// A value that does not describe its bytes (offsets missing, out of range or out of order).
    public struct Malformed: Error, Sendable {}

    /// Where one candidate's factors and rest are in `bytes`.
    public struct Parts: Sendable, Equatable {
        public let factors: Range<Int>
        public let rest: Range<Int>

        public init(factors: Range<Int>, rest: Range<Int>) {
            self.factors = factors
            self.rest = rest
        }
    }

    /// Every candidate's parts, checked to lie in order inside `bytes`; ``Malformed`` otherwise.
    public func parts() throws(Malformed) -> [Parts] {
        guard offsets.count == 4 * people.count else { throw Malformed() }
        var parts: [Parts] = []
        parts.reserveCapacity(people.count)
        var floor = 0
        for index in people.indices {
            let (a, b, c, d) = (offsets[4 * index], offsets[4 * index + 1], offsets[4 * index + 2], offsets[4 * index + 3])
            guard floor <= a, a <= b, b <= c, c <= d, d <= bytes.count else { throw Malformed() }
            parts.append(Parts(factors: a..<b, rest: c..<d))
            floor = d
        }
        return parts
    }
}
