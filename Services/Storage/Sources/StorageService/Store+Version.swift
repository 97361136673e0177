import Contracts
import Foundation

extension Store {
    /// The tenant's data version: this opening's epoch (with the tenant's data generation after an erasure) and the
    /// counter the people and tickets triggers bump (see `Schema`), read after every acknowledged write.
    public func dataVersion(_ tenant: String) async throws -> StorageContract.DataVersion {
        let epoch = self.epoch
        return try await read { db in
            let row = try db.prepare("SELECT version, generation FROM data_versions WHERE tenant = ?")
            try row.bind([.text(tenant)])
            let (version, generation) = try row.step() ? (row.int(0), row.int(1)) : (0, 0)
            db.resetStatements()
            return StorageContract.DataVersion(version: Store.dataVersion(epoch: epoch, generation: generation, counter: version))
        }
    }

    /// A data version token: `<epoch>-<counter>`, the epoch followed by `/g<generation>` once the tenant's generation
    /// changed (an erasure), so a version of an older generation is of another epoch to every follower.
    static func dataVersion(epoch: String, generation: Int64, counter: Int64) -> String {
        generation == 0 ? "\(epoch)-\(counter)" : "\(epoch)/g\(generation)-\(counter)"
    }
}
