import Dispatch
import Foundation
import Posix
import Synchronization
import Testing

@Suite struct BlockingThreadTests {
    /// A mark belongs to the thread that set it: other threads (and new ones) are unmarked.
    @Test func aMarkIsPerThread() {
        let seen = Mutex<[Bool]>([])
        let done = DispatchSemaphore(value: 0)
        Thread {
            seen.withLock { $0.append(BlockingThread.isCurrent) }
            BlockingThread.markCurrent()
            seen.withLock { $0.append(BlockingThread.isCurrent) }
            Thread {
                seen.withLock { $0.append(BlockingThread.isCurrent) }
                done.signal()
            }.start()
        }.start()
        done.wait()
        #expect(seen.withLock { $0 } == [false, true, false])
        #expect(!BlockingThread.isCurrent)
    }
}
