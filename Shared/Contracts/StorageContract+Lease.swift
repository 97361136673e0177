import Foundation
import RPC

/// `storage.v1/AcquireLease` and `ReleaseLease`: work that must run in one place at a time (the scheduled Jira sync,
/// the retention job) runs only while its process holds the work's lease. A lease is held until it expires unless its
/// holder renews it (acquiring again) or releases it; a holder that dies stops renewing, so the lease passes to another
/// process once it expires. The lease lives in the database every instance shares, so it holds across pods.
/// Not scoped to a tenant: the caller sends no tenant.
extension StorageContract {
    public static let acquireLease = Method<LeaseRequest, Lease>(service: service, method: "AcquireLease")
    public static let releaseLease = Method<LeaseRequest, Lease>(service: service, method: "ReleaseLease")

    public struct LeaseRequest: Codable, Sendable, Equatable {
        /// The work, for example `jira-sync` (letters, digits, `.`, `_`, `-`; at most 100).
        public var name: String
        /// Who asks: unique per process (for example host, pid and a random part).
        public var holder: String
        /// For how long the lease is held from now when acquired (1 second to 1 day); ignored when releasing.
        public var seconds: Double?
        public init(name: String, holder: String, seconds: Double? = nil) {
            self.name = name
            self.holder = holder
            self.seconds = seconds
        }
    }

    public struct Lease: Codable, Sendable, Equatable {
        public var name: String
        /// Whether the caller holds the lease now.
        public var held: Bool
        /// Who holds it (nil when nobody does).
        public var holder: String?
        /// Until when the holder holds it.
        public var expiresAt: Date?
        public init(name: String, held: Bool, holder: String?, expiresAt: Date?) {
            self.name = name
            self.held = held
            self.holder = holder
            self.expiresAt = expiresAt
        }
    }
}

/// `storage.v1/PruneDecisions`: deletes, in every tenant, the `suggested` decision records older than a cutoff (each
/// recommendation writes one, about 6 KB); what was assigned, overridden or auto-assigned is kept until the tenant is
/// deleted. Deletes in batches, so other writes wait at most one batch. Not scoped to a tenant.
extension StorageContract {
    public static let pruneDecisions = Method<PruneDecisionsRequest, PruneDecisionsResponse>(service: service, method: "PruneDecisions")

    public struct PruneDecisionsRequest: Codable, Sendable, Equatable {
        /// Suggestions made before this are deleted.
        public var before: Date
        public init(before: Date) { self.before = before }
    }

    public struct PruneDecisionsResponse: Codable, Sendable, Equatable {
        public var deleted: Int
        public init(deleted: Int) { self.deleted = deleted }
    }
}
