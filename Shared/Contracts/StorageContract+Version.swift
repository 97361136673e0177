import Foundation
import RPC

/// `storage.v1/DataVersion`: a token that changes whenever any of the tenant's people or tickets
/// change (bumped in the same transaction as the write), so a cache of them can be refreshed exactly
/// when needed and never serve stale data.
extension StorageContract {
    public static let dataVersion = Method<Empty, DataVersion>(service: service, method: "DataVersion")

    public struct DataVersion: Codable, Sendable, Equatable {
        /// Opaque; equal tokens mean the tenant's people and tickets are unchanged.
        public var version: String
        public init(version: String) { self.version = version }
    }
}

/// `storage.v1/AppendDecisionID`: `appendDecision` answering only the new decision's id, for callers
/// that do not need the decision echoed back (every recommendation appends one).
extension StorageContract {
    public static let appendDecisionID = Method<Decision, DecisionID>(service: service, method: "AppendDecisionID")

    public struct DecisionID: Codable, Sendable, Equatable {
        public var id: Int64
        public init(id: Int64) { self.id = id }
    }
}
