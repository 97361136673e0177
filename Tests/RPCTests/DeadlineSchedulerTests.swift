import Foundation
import Testing
import TestSupport
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
}
