import Foundation
import RPC

/// `storage.v1/DataVersion`: a token that changes whenever any of the tenant's people or tickets
/// change (bumped in the same transaction as the write), so a cache of them can be refreshed exactly
/// when needed and never serve stale data.
extension StorageContract {
    public static let dataVersion = Method<Empty, DataVersion>(service: service, method: "DataVersion")

    public struct DataVersion: Codable, Sendable, Equatable {
        /// `<epoch>-<counter>`; equal tokens mean the tenant's people and tickets are unchanged. The counter only grows
        /// within an epoch (one database: the same for every instance of storage reading it); it is the version of the
        /// tenant's last write, which ``ChangedTickets`` follows.
        public var version: String
        public init(version: String) { self.version = version }

        /// The epoch and the counter, nil when the token is not in that form.
        public var parts: (epoch: Substring, counter: Int64)? {
            guard let dash = version.lastIndex(of: "-"), let counter = Int64(version[version.index(after: dash)...]) else { return nil }
            return (version[..<dash], counter)
        }
    }
}

/// `storage.v1/ChangedTickets`: the tenant's tickets written after a data version counter, in the order written, so a
/// process that keeps what it learned from tickets (scoring's model, in every pod) follows what any pod wrote.
extension StorageContract {
    public static let changedTickets = Method<ChangedTicketsRequest, ChangedTickets>(service: service, method: "ChangedTickets")

    public struct ChangedTicketsRequest: Codable, Sendable, Equatable {
        /// A data version counter (``DataVersion/parts``); 0 for every ticket.
        public var since: Int64
        public var limit: Int?
        public init(since: Int64, limit: Int? = nil) {
            self.since = since
            self.limit = limit
        }
    }

    public struct ChangedTickets: Codable, Sendable, Equatable {
        public var items: [Ticket]
        /// The counter of the last ticket answered (`since` when none): ask again from there.
        public var last: Int64
        /// Whether more tickets changed after `last`.
        public var more: Bool
        public init(items: [Ticket], last: Int64, more: Bool) {
            self.items = items
            self.last = last
            self.more = more
        }
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
