import Foundation
import Observability
import Synchronization

/// Whether the store's database answers, asked every two seconds with a trivial read that must answer within two
/// seconds: what storage's health (and so the pod's readiness) says while PostgreSQL is down or unreachable.
final class DatabaseReachability: Sendable {
    private let reachable = Atomic<Bool>(true)
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(store: Store, logger: Logger, every seconds: Double = 2) {
        let checks = Task { [weak self] in
            while !Task.isCancelled {
                let answered = await Self.answers(store, within: seconds)
                guard let self else { return }
                self.record(answered, logger: logger)
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            }
        }
        task.withLock { $0 = checks }
    }

    private func record(_ answered: Bool, logger: Logger) {
        if reachable.exchange(answered, ordering: .relaxed) != answered {
            if answered { logger.notice("database reachable again") } else { logger.error("database unreachable") }
        }
    }

    /// The last check's answer.
    var isReachable: Bool { reachable.load(ordering: .relaxed) }

    func stop() { task.withLock { $0?.cancel() } }

    /// Whether a trivial read answers within `seconds`.
    private static func answers(_ store: Store, within seconds: Double) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await store.read { db in try db.scalar("SELECT 1") }) != nil }
            group.addTask {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
