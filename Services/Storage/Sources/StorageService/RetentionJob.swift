import Foundation
import Observability
import Workflows

/// Deletes suggestions older than the retention period, every hour, in one storage instance at a time (the
/// `retention` lease: with several pods on one database, one of them prunes).
enum RetentionJob {
    /// Starts the job; cancel the task to stop it. `days` 0 keeps suggestions for ever.
    static func start(store: Store, days: Double, every seconds: Double = 3600, logger: Logger) -> Task<Void, Never>? {
        guard days > 0 else { return nil }
        let lease = LeasedWork(name: "retention", seconds: 3 * seconds) { request in try await store.acquireLease(request) }
        return Task {
            while !Task.isCancelled {
                if await lease.renew() {
                    do {
                        _ = try await store.pruneDecisions(before: Date().addingTimeInterval(-days * 86_400))
                    } catch {
                        logger.warning("pruning suggestions failed", ["error": .string(String(describing: type(of: error)))])
                    }
                }
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            }
        }
    }
}
