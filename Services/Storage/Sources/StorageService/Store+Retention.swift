import Contracts
import Foundation

extension Store {
    /// Suggestions deleted per transaction: other writes wait at most one batch.
    static let pruneBatch = 5_000

    /// Deletes every tenant's `suggested` decisions made before `before`, in batches, oldest first; returns how many.
    public func pruneDecisions(before: Date) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await write { db in
                try db.run("""
                    DELETE FROM decisions WHERE id IN
                        (SELECT id FROM decisions WHERE mode = 'suggested' AND at < ? ORDER BY at LIMIT \(Store.pruneBatch))
                    """, [.date(before)])
            }
            total += deleted
            if deleted < Store.pruneBatch { break }
        }
        if total > 0 { logger.info("suggestions pruned", ["rows": .int(total)]) }
        return total
    }
}
