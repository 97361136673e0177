import Dispatch
import Foundation
import Posix

/// One thread that fires deadlines in time order: a binary heap of the armed entries. A cancelled
/// entry leaves the heap at once (the heap tracks each entry's position), so the heap only holds
/// the calls in flight: most calls finish long before their deadline, and a lazily dropped entry
/// would stay for the whole timeout (hundreds of thousands at a high call rate) and wake the
/// thread when it came due. Fired actions run on a global queue.
final class DeadlineScheduler: @unchecked Sendable {
    /// The process-wide scheduler.
    static let shared = DeadlineScheduler()

    private struct Entry {
        let due: UInt64
        let id: UInt64
        let action: @Sendable () -> Void
    }

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var heap: [Entry] = []
    /// Where each armed entry is in `heap`, by id.
    private var positions: [UInt64: Int] = [:]
    private var nextID: UInt64 = 1
    /// When the scheduler thread will wake by itself (`UInt64.max`: only when signalled). A new
    /// deadline later than this needs no signal: most calls finish long before their deadline, so
    /// arming a timer almost never costs a thread wake-up.
    private var wakesAt = UInt64.max

    /// A scheduler with its own thread (tests make private ones; everything else uses ``shared``).
    init() {
        heap.reserveCapacity(64)
        positions.reserveCapacity(64)
        let thread = Thread { [self] in run() }
        thread.name = "rpc-deadlines"
        thread.start()
    }

    /// The number of armed entries (for tests).
    var armedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return heap.count
    }

    /// Schedules `action` after `microseconds`; returns an id for ``cancel(_:)``.
    func schedule(afterMicroseconds microseconds: Int64, _ action: @escaping @Sendable () -> Void) -> UInt64 {
        let due = Monotonic.nanoseconds() &+ UInt64(max(0, microseconds)) &* 1000
        condition.lock()
        let id = nextID
        nextID &+= 1
        heap.append(Entry(due: due, id: id, action: action))
        positions[id] = heap.count - 1
        siftUp(heap.count - 1)
        let mustWake = due < wakesAt
        if mustWake { wakesAt = due }
        condition.unlock()
        if mustWake { condition.signal() }
        return id
    }

    /// Cancels a scheduled action; harmless if it already ran or was cancelled. If the thread
    /// sleeps until this entry, it wakes then for nothing and sleeps until the next one.
    func cancel(_ id: UInt64) {
        condition.lock()
        if let position = positions.removeValue(forKey: id) {
            remove(at: position)
        }
        condition.unlock()
    }

    private func run() {
        condition.lock()
        while true {
            guard let first = heap.first else {
                wakesAt = .max
                condition.wait()
                continue
            }
            let now = Monotonic.nanoseconds()
            if first.due > now {
                wakesAt = first.due
                _ = condition.wait(until: Date(timeIntervalSinceNow: Double(first.due - now) / 1e9))
                continue
            }
            positions.removeValue(forKey: first.id)
            remove(at: 0)
            // Actions write to sockets, which can block: never on this thread, or one stuck peer
            // would delay every other deadline in the process.
            DispatchQueue.global().async(execute: first.action)
        }
    }

    // MARK: Heap (guarded by `condition`)

    /// Removes the entry at `position` (already removed from `positions`).
    private func remove(at position: Int) {
        let last = heap.removeLast()
        guard position < heap.count else { return }
        heap[position] = last
        positions[last.id] = position
        if position > 0 && heap[position].due < heap[(position - 1) / 2].due {
            siftUp(position)
        } else {
            siftDown(position)
        }
    }

    private func siftUp(_ position: Int) {
        var child = position
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].due < heap[parent].due else { break }
            swapEntries(child, parent)
            child = parent
        }
    }

    private func siftDown(_ position: Int) {
        var parent = position
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count && heap[left].due < heap[smallest].due { smallest = left }
            if right < heap.count && heap[right].due < heap[smallest].due { smallest = right }
            if smallest == parent { return }
            swapEntries(parent, smallest)
            parent = smallest
        }
    }

    private func swapEntries(_ a: Int, _ b: Int) {
        heap.swapAt(a, b)
        positions[heap[a].id] = a
        positions[heap[b].id] = b
    }
}
