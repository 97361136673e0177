import Foundation
import RPC

/// `storage.v1/DataVersion`: a token that changes whenever any of the tenant's people or tickets
/// change (bumped in the same transaction as the write), so a cache of them can be refreshed exactly
/// when needed and never serve stale data.
extension StorageContract {
    public static let dataVersion = MethodDescriptor<Empty, DataVersion>(service: service, method: "DataVersion")

    public struct DataVersion: Codable, Sendable, Equatable {
        /// Opaque; equal tokens mean the tenant's people and tickets are unchanged.
        public var version: String
        public init(version: String) { self.version = version }
    }
}
