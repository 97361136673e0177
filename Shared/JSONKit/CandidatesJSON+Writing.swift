import Model

extension CandidatesJSON {
    /// `candidates` written as the decision log keeps them (``JSONWriter/candidates(_:)``); throws
    /// for a score or factor that is not a finite number.
    public init(_ candidates: [RankedCandidate]) throws {
        var writer = JSONWriter(capacity: 256 + 512 * candidates.count)
        let parts = try writer.candidates(candidates)
        var offsets: [Int] = []
        offsets.reserveCapacity(4 * parts.count)
        for part in parts {
            offsets += [part.factors.lowerBound, part.factors.upperBound, part.rest.lowerBound, part.rest.upperBound]
        }
        self.init(bytes: writer.bytes, people: candidates.map(\.person), offsets: offsets)
    }
}

extension Ranking {
    /// Moves `candidates` into `written`, as the decision log's JSON (for `scoring.v1/Rank` with
    /// `writeCandidates`).
    public mutating func writeCandidates() throws {
        written = try CandidatesJSON(candidates)
        candidates = []
    }
}
