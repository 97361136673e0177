import Lifecycle
import Model
import ScoringCore
import Testing
@testable import Launcher

/// `smart-ticket replay` and `smart-ticket whatif` start from the same weights, the scoring model's defaults (as
/// `POST /api/v1/whatif` does: `WhatIf.weightSet`), so their figures for "the defaults" are the same figures.
@Suite struct ReplayWeightsTests {
    @Test func replayAndWhatIfHaveOneBaseline() throws {
        let replay = try ReplayCommand.weights(nil)
        let whatIf = try WhatIfCommand.weightSets([])
        #expect(replay == ScoringFactor.defaultWeights)
        #expect(whatIf == [ScoringFactor.defaultWeights])
        #expect(replay == WhatIf.weightSet([:]), "the API's what-if baseline")
        // A named factor changes only itself, the same way in both commands.
        #expect(try ReplayCommand.weights("fairness=0") == WhatIfCommand.weightSets(["fairness=0"]).first)
        #expect(try ReplayCommand.weights("fairness=0")["skillFit"] == ScoringFactor.defaultWeights["skillFit"])
        #expect(throws: UsageError.self) { try ReplayCommand.weights("bogus=1") }
        #expect(throws: UsageError.self) { try WhatIfCommand.weightSets(["skillFit=1", "bogus=1"]) }
    }
}
