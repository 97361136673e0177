import Foundation
import Testing
@testable import GatewayService

/// Rebalance plans name people `{"id", "name"}`; a plan stored before (ids, with `fromName` and `toName`) still reads,
/// and is answered in the new shape.
@Suite struct RebalancePlanBodyTests {
    static let stored = #"""
        {"id": "0123456789abcdef", "project": "ZK", "status": "proposed", "createdAt": "2026-03-01T10:00:00Z", "createdBy": "ada",
         "moves": [{"ticket": "ZK-1", "from": "ana", "to": "ben", "fromName": "Ana Lima", "toName": "Ben Ode", "reasons": ["away"], "planned": 1.5}],
         "unresolved": [{"from": "cy", "reason": "stays over capacity"}]}
        """#

    @Test func aPlanStoredWithIdsReadsAndAnswersPeopleAsIdAndName() throws {
        let plan = try JSONCoding.decoder.decode(RebalancePlanBody.self, from: Data(Self.stored.utf8))
        #expect(plan.moves.first?.from == PersonRef(id: "ana", name: "Ana Lima"))
        #expect(plan.moves.first?.to == PersonRef(id: "ben", name: "Ben Ode"))
        #expect(plan.unresolved.first?.from == PersonRef(id: "cy", name: "cy"))
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(try JSONCoding.encode(plan))) as? [String: Any])
        let move = try #require((answer["moves"] as? [[String: Any]])?.first)
        #expect(move["from"] as? [String: String] == ["id": "ana", "name": "Ana Lima"])
        #expect(move["to"] as? [String: String] == ["id": "ben", "name": "Ben Ode"])
        #expect(move["fromName"] == nil && move["toName"] == nil)
        #expect((answer["unresolved"] as? [[String: Any]])?.first?["from"] as? [String: String] == ["id": "cy", "name": "cy"])
        // And the new shape reads back as it was written.
        let again = try JSONCoding.decoder.decode(RebalancePlanBody.self, from: Data(try JSONCoding.encode(plan)))
        #expect(again.moves.first?.from == plan.moves.first?.from && again.unresolved.first?.from == plan.unresolved.first?.from)
    }
}
