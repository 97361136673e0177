import Foundation
import JSONKit
import RPC

/// `storage.v1/AppendDecisionRecord`: `appendDecisionID` with the candidates already written as the
/// JSON the decision log stores (`JSONWriter.candidates`), so the ranking is neither encoded field by
/// field on the wire nor decoded by storage just to be written out again. Storage checks the JSON's
/// syntax and shape (an array of at most 500 objects) and stores it as is.
extension StorageContract {
    public static let appendDecisionRecord = Method<DecisionRecord, DecisionID>(service: service, method: "AppendDecisionRecord")

    /// A ``Decision`` whose `candidates` are their stored JSON.
    public struct DecisionRecord: Codable, Sendable, Equatable {
        public var ticket: String
        public var project: String
        public var mode: Decision.Mode
        public var chosen: String?
        public var previous: String?
        /// `[{"factors", "person", "reasons", "score"}]` as `JSONWriter.candidates` writes it.
        public var candidatesJSON: [UInt8]
        public var actor: String
        public var at: Date
        public var reason: String?

        public init(ticket: String, project: String, mode: Decision.Mode, chosen: String?, previous: String? = nil,
                    candidatesJSON: [UInt8], actor: String, at: Date = Date(), reason: String? = nil) {
            self.ticket = ticket
            self.project = project
            self.mode = mode
            self.chosen = chosen
            self.previous = previous
            self.candidatesJSON = candidatesJSON
            self.actor = actor
            self.at = at
            self.reason = reason
        }

        /// The record of `decision`, its candidates written as the decision log stores them.
        public init(_ decision: Decision) throws {
            var writer = JSONWriter(capacity: 256 + 512 * decision.candidates.count)
            try writer.candidates(decision.candidates)
            self.init(ticket: decision.ticket, project: decision.project, mode: decision.mode, chosen: decision.chosen,
                      previous: decision.previous, candidatesJSON: writer.bytes, actor: decision.actor, at: decision.at,
                      reason: decision.reason)
        }
    }
}
