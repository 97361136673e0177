#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One idle ``BinaryWriter`` per thread, for encodes that need no `userInfo` (``BinaryCodable``
/// values): an encode then allocates neither a writer nor its buffer. Encodes are synchronous, so
/// a writer taken here is given back on the same thread; a nested encode on that thread finds the
/// slot empty and uses a writer of its own.
enum BinaryWriterCache {
    /// Writers whose buffer grew past this are dropped rather than kept.
    static let maxKeptCapacity = 64 * 1024

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let created = pthread_key_create(&key) { writer in
            // The thread ends: release the writer it kept.
            #if canImport(Darwin)
            Unmanaged<BinaryWriter>.fromOpaque(writer).release()
            #else
            if let writer { Unmanaged<BinaryWriter>.fromOpaque(writer).release() }
            #endif
        }
        precondition(created == 0, "pthread_key_create failed")
        return key
    }()

    /// Runs `body` with an empty writer of at least `capacity` bytes (the thread's idle one when
    /// there is one), then keeps that writer for the thread's next encode.
    @inline(__always)
    static func withWriter<R>(capacity: Int, _ body: (BinaryWriter) throws -> R) rethrows -> R {
        let writer: BinaryWriter
        if let idle = pthread_getspecific(key) {
            pthread_setspecific(key, nil)
            writer = Unmanaged<BinaryWriter>.fromOpaque(idle).takeRetainedValue()
            writer.reset(capacity: capacity)
        } else {
            writer = BinaryWriter(capacity: capacity, userInfo: [:])
        }
        defer {
            if writer.capacity <= maxKeptCapacity && pthread_getspecific(key) == nil {
                pthread_setspecific(key, Unmanaged.passRetained(writer).toOpaque())
            }
        }
        return try body(writer)
    }
}
