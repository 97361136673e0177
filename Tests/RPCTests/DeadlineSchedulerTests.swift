import Foundation
import Harness
import Testing
@testable import RPC

@Suite struct DeadlineSchedulerTests {
    @Test func anEarlierDeadlineFiresOnTimeBehindACancelledLaterOne() async throws {
        // A far deadline, cancelled, stays at the top of the heap; a near one scheduled after it must still fire on time.
        let far = DeadlineTimer(afterMicroseconds: 20_000_000) {}
        far.cancel()
        let fired = Locked<Date?>(nil)
        let start = Date()
        _ = DeadlineTimer(afterMicroseconds: 50_000) { fired.withLock { $0 = Date() } }
        let deadline = Date().addingTimeInterval(5)
        while fired.value == nil && Date() < deadline { try await Task.sleep(nanoseconds: 10_000_000) }
        let at = try #require(fired.value)
        #expect(at.timeIntervalSince(start) < 3)
    }

    @Test func anEarlierDeadlineWakesASchedulerSleepingUntilALaterLiveOne() async throws {
        // The scheduler sleeps until the far (live) deadline; only a signal lets the near one fire in time.
        let far = DeadlineTimer(afterMicroseconds: 20_000_000) {}
        defer { far.cancel() }
        try await Task.sleep(nanoseconds: 20_000_000)
        let fired = Locked<Date?>(nil)
        let start = Date()
        _ = DeadlineTimer(afterMicroseconds: 50_000) { fired.withLock { $0 = Date() } }
        let deadline = Date().addingTimeInterval(10)
        while fired.value == nil && Date() < deadline { try await Task.sleep(nanoseconds: 10_000_000) }
        let at = try #require(fired.value)
        #expect(at.timeIntervalSince(start) < 8)
    }

    @Test func cancelledTimersNeverFire() async throws {
        let fired = Locked(false)
        let timer = DeadlineTimer(afterMicroseconds: 20_000) { fired.withLock { $0 = true } }
        timer.cancel()
        try await Task.sleep(nanoseconds: 100_000_000)
        #expect(!fired.value)
    }

    @Test func cancelledEntriesLeaveTheHeapAtOnce() {
        let scheduler = DeadlineScheduler()
        let ids = (0..<1000).map { index in scheduler.schedule(afterMicroseconds: 10_000_000 + Int64(index * 7919 % 1000)) {} }
        #expect(scheduler.armedCount == 1000)
        for id in ids.shuffled() { scheduler.cancel(id) }
        #expect(scheduler.armedCount == 0)
        scheduler.cancel(ids[0])   // twice: harmless
        #expect(scheduler.armedCount == 0)
    }

    @Test func exactlyTheTimersNotCancelledFire() async throws {
        let scheduler = DeadlineScheduler()
        let fired = Locked<Set<Int>>([])
        var ids: [UInt64] = []
        for index in 0..<40 {
            // Distinct due times in a scrambled order, so cancels hit every part of the heap.
            ids.append(scheduler.schedule(afterMicroseconds: Int64(20_000 + (index * 37 % 40) * 1_000)) { fired.withLock { _ = $0.insert(index) } })
        }
        let cancelled = Set(stride(from: 0, to: 40, by: 3))
        for index in cancelled.shuffled() { scheduler.cancel(ids[index]) }
        let expected = Set(0..<40).subtracting(cancelled)
        let deadline = Date().addingTimeInterval(20)
        while fired.value.count < expected.count && Date() < deadline { try await Task.sleep(nanoseconds: 10_000_000) }
        try await Task.sleep(nanoseconds: 50_000_000)
        #expect(fired.value == expected)
        #expect(scheduler.armedCount == 0)
    }
}
