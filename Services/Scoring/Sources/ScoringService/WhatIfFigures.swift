import Contracts
import Foundation
import Model
import ScoringCore

/// What-if outcomes as the one answer shape (``ScoringContract/WhatIfResponse``): `scoring.v1/WhatIf` (and so
/// `POST /api/v1/whatif`) answers with it, and `smart-ticket replay --json` and `smart-ticket whatif --json` print it, so
/// the API and the CLI give the same figures under the same names.
extension ScoringContract.WhatIfResponse {
    /// The figures of `outcomes` (one per weight set, in order) over a history of `tickets` resolved tickets, with the
    /// warnings of ``ReplayReading/warnings(tickets:testTickets:inPool:)`` (test tickets and the pool do not depend on
    /// the weights: the first outcome's counts are every outcome's).
    public init(tickets: Int, outcomes: [WhatIf.Outcome]) {
        let results = outcomes.map(ScoringContract.WhatIfResult.init)
        let first = results.first
        self.init(tickets: tickets, results: results,
                  warnings: ReplayReading.warnings(tickets: tickets, testTickets: first?.testTickets ?? 0, inPool: first?.inPool ?? 0))
    }
}

extension ScoringContract.WhatIfResult {
    /// One outcome's figures, rates rounded to three decimals.
    public init(_ outcome: WhatIf.Outcome) {
        let tested = outcome.all.tickets
        let inPool = outcome.inPool.tickets
        self.init(weights: outcome.weights, testTickets: tested, inPool: inPool,
                  coverage: Self.round(tested == 0 ? 0 : Double(inPool) / Double(tested)),
                  top1: Self.round(outcome.inPool.top1), top3: Self.round(outcome.inPool.top3), top5: Self.round(outcome.inPool.top5),
                  top10: Self.round(outcome.inPool.top10), mrr: Self.round(outcome.inPool.mrr), loadGini: Self.round(outcome.loadGini),
                  meanSkillFit: Self.round(outcome.meanSkillFit))
    }

    static func round(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}
