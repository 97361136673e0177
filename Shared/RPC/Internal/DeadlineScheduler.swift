import Dispatch
import Foundation
import Posix

/// One thread that fires deadlines in time order: a binary heap of entries, cancelled ones dropped
/// lazily when they reach the top. Fired actions run on a global queue.
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
    /// Ids scheduled and not yet fired or cancelled.
    private var live = Set<UInt64>()
    private var nextID: UInt64 = 1
    /// When the scheduler thread will wake by itself (`UInt64.max`: only when signalled). A new
    /// deadline later than this needs no signal: most calls finish long before their deadline, so
    /// arming a timer almost never costs a thread wake-up.
    private var wakesAt = UInt64.max

    private init() {
        let thread = Thread { [self] in run() }
        thread.name = "rpc-deadlines"
        thread.start()
    }

    /// Schedules `action` after `microseconds`; returns an id for ``cancel(_:)``.
    func schedule(afterMicroseconds microseconds: Int64, _ action: @escaping @Sendable () -> Void) -> UInt64 {
        let due = Monotonic.nanoseconds() &+ UInt64(max(0, microseconds)) &* 1000
        condition.lock()
        let id = nextID
        nextID &+= 1
        // Drop cancelled entries from the top first: the scheduler may be sleeping until one of them,
        // and a new, earlier deadline must wake it.
        while let top = heap.first, !live.contains(top.id) { _ = pop() }
        push(Entry(due: due, id: id, action: action))
        live.insert(id)
        let mustWake = due < wakesAt
        if mustWake { wakesAt = due }
        condition.unlock()
        if mustWake { condition.signal() }
        return id
    }

    /// Cancels a scheduled action; harmless if it already ran.
    func cancel(_ id: UInt64) {
        condition.lock()
        live.remove(id)
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
            if !live.contains(first.id) {
                _ = pop()   // cancelled
                continue
            }
            let now = Monotonic.nanoseconds()
            if first.due > now {
                wakesAt = first.due
                _ = condition.wait(until: Date(timeIntervalSinceNow: Double(first.due - now) / 1e9))
                continue
            }
            let entry = pop()
            live.remove(entry.id)
            // Actions write to sockets, which can block: never on this thread, or one stuck peer
            // would delay every other deadline in the process.
            DispatchQueue.global().async(execute: entry.action)
        }
    }

    private func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].due < heap[parent].due else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func pop() -> Entry {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < heap.count && heap[left].due < heap[smallest].due { smallest = left }
                if right < heap.count && heap[right].due < heap[smallest].due { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
