import Contracts
import Foundation

extension Store {
    /// The tenant's data version: this opening's epoch and the counter the people and tickets
    /// triggers bump (see `Schema`), read after every acknowledged write.
    public func dataVersion(_ tenant: String) async throws -> StorageContract.DataVersion {
        let epoch = self.epoch
        return try await read { db in
            let version = try db.scalar("SELECT version FROM data_versions WHERE tenant = ?", [.text(tenant)])?.int ?? 0
            return StorageContract.DataVersion(version: "\(epoch)-\(version)")
        }
    }
}
