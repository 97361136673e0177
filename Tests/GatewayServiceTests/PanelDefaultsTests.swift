import Foundation
import Model
import Testing

/// The panel's copy of the default weights (`DEFAULT_WEIGHTS` in format.js, which fills the What-if view's "Default
/// weights" set; a static file cannot ask Swift) is the scoring model's one definition, `ScoringFactor.defaultWeights`,
/// which `smart-ticket replay`, `smart-ticket whatif` and `POST /api/v1/whatif` start from.
@Suite struct PanelDefaultsTests {
    @Test func thePanelsDefaultWeightsAreTheScoringModels() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Services/Gateway/Sources/GatewayService/Panel/format.js")
        let source = try String(contentsOf: file, encoding: .utf8)
        let match = try #require(source.firstMatch(of: /export const DEFAULT_WEIGHTS = \{([^}]*)\};/), "DEFAULT_WEIGHTS in format.js")
        var weights: [String: Double] = [:]
        for pair in match.output.1.split(separator: ",") {
            let parts = pair.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            try #require(parts.count == 2, "\(pair)")
            weights[parts[0]] = try #require(Double(parts[1]), "\(pair)")
        }
        #expect(weights == ScoringFactor.defaultWeights)
    }
}
