#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Marks threads that may block while they wait for another process (a dedicated connection thread,
/// for example), as opposed to the threads of Swift's cooperative pool, which must never block.
///
/// Code that can either wait synchronously or suspend (an RPC call) asks ``isCurrent`` and waits
/// in place on such a thread: no continuation, no hop to another thread and back.
public enum BlockingThread {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
        return key
    }()

    /// Whether the calling thread was marked with ``markCurrent()``.
    public static var isCurrent: Bool { pthread_getspecific(key) != nil }

    /// Marks the calling thread as one that may block for the rest of its life. Never call it from
    /// a task: tasks move between the cooperative pool's threads.
    public static func markCurrent() {
        _ = pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1))
    }
}
