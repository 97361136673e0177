import Foundation

/// Limits how many whole systems (`RunningSystem`: a launcher and four services each) the tests run at
/// once. Swift Testing runs suites in parallel; a dozen systems starting side by side on a 2-core
/// machine answer so slowly that real deadlines expire and the tests measure the machine, not the code.
/// `SMART_TICKET_TEST_SYSTEMS` sets the limit (default 2).
actor SystemSlots {
    static let shared = SystemSlots(limit: Int(ProcessInfo.processInfo.environment["SMART_TICKET_TEST_SYSTEMS"] ?? "") ?? 2)

    private var free: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { free = max(1, limit) }

    /// Waits for a free slot and takes it.
    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Gives a slot back, to the longest waiter if there is one.
    func release() {
        if waiters.isEmpty {
            free += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
