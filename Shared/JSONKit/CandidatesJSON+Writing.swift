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

extension JSONWriter {
    /// Writes `written`'s candidates as a JSON array of their decision-log objects, each with its person
    /// id replaced by what `person` writes for it (given the candidate's index and id):
    /// `[{"factors":{...},"person":<person>,"reasons":[...],"score":N},...]`. The factors and the rest are
    /// copied from `written.bytes` as they are; `parts` are `written.parts()`.
    public mutating func candidates(_ written: CandidatesJSON, parts: [CandidatesJSON.Parts],
                                    person: (inout JSONWriter, _ index: Int, _ id: String) throws -> Void) rethrows {
        raw("[")
        for (index, id) in written.people.enumerated() {
            if index > 0 { raw(",") }
            raw(CandidatesJSON.objectStart)
            raw(written.bytes[parts[index].factors])
            raw(CandidatesJSON.personKey)
            try person(&self, index, id)
            raw(written.bytes[parts[index].rest])
        }
        raw("]")
    }
}
