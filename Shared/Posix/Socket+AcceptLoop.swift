#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Socket {
    /// Accepts connections on `listener` and hands each to `accepted`, on the calling thread, until the server stops:
    /// when `isStopped()` says so after accept fails (a server stops by shutting the listener down, which wakes
    /// accept), or when `accepted` returns false. Then it closes the listener: only this thread uses it, so its number
    /// is never closed under another. A failed accept while running is tried again, after 50 ms and a call of
    /// `outOfDescriptors` when the process has no descriptor left (EMFILE), at once otherwise (a connection the peer
    /// reset before it was accepted).
    public static func acceptLoop(_ listener: FileDescriptor, isStopped: () -> Bool, outOfDescriptors: () -> Void = {},
                                  accepted: (FileDescriptor) -> Bool) {
        while true {
            let fd: FileDescriptor
            do {
                fd = try accept(listener)
            } catch {
                if isStopped() { break }
                if error == .tooManyOpenFiles {
                    outOfDescriptors()
                    usleep(50_000)
                }
                continue
            }
            if !accepted(fd) { break }
        }
        listener.close()
    }
}
