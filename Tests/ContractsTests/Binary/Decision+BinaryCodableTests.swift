import Contracts
import Testing

@Suite struct DecisionBinaryCodableTests {
    @Test func decision() throws {
        try BinaryCodableCheck.check(Fixtures.decision, complete: true)
        try BinaryCodableCheck.check(Fixtures.minimalDecision, complete: false)
    }

    @Test func everyMode() throws {
        for mode in Decision.Mode.allCases {
            var decision = Fixtures.minimalDecision
            decision.mode = mode
            try BinaryCodableCheck.check(decision, complete: false, corruptBytes: false)
        }
    }

    @Test func candidate() throws {
        try BinaryCodableCheck.check(Fixtures.candidate, complete: true)
        try BinaryCodableCheck.check(Fixtures.minimalCandidate, complete: false)
        try BinaryCodableCheck.check(RankedCandidate.Factor(value: -0.0, weight: 1e-300, contribution: .infinity), complete: true,
                                     corruptBytes: false)
    }

    /// More than 127 candidates: the array's count takes two varint bytes.
    @Test func manyCandidates() throws {
        var decision = Fixtures.minimalDecision
        decision.candidates = (0..<130).map { RankedCandidate(person: "p\($0)", score: Double($0)) }
        try BinaryCodableCheck.check(decision, complete: false, corruptBytes: false)
    }
}
