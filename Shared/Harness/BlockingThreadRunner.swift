import Dispatch
import Foundation
import Posix
import Synchronization

/// Runs `body` as the gateway's HTTP server runs a request handler: started at once
/// (`Task.immediate`) on a new thread marked ``Posix/BlockingThread``, which waits for it.
public func onBlockingThread<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        Thread {
            BlockingThread.markCurrent()
            let result = Mutex<Result<T, any Error>?>(nil)
            let done = DispatchSemaphore(value: 0)
            Task.immediate {
                do {
                    let value = try await body()
                    result.withLock { $0 = .success(value) }
                } catch {
                    result.withLock { $0 = .failure(error) }
                }
                done.signal()
            }
            done.wait()
            continuation.resume(with: result.withLock { $0 }!)
        }.start()
    }
}
