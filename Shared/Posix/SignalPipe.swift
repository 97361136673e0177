import CShims
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Pipes between a launcher and its children, for what the kernel can tell without polling: a child's readiness (it
/// writes a byte; its exit closes the pipe) and the launcher's death (its end closes, the children read end of file).
public enum SignalPipe {
    /// A new pipe, both ends close-on-exec (a child gets an end only by ``ChildProcess/spawn(path:arguments:environment:passing:)``)
    /// and numbered from ``lowestNumber`` up, so that neither is one of the numbers a child is given an end at.
    public static func make() throws(Errno) -> (read: FileDescriptor, write: FileDescriptor) {
        var fds: [Int32] = [0, 0]
        guard cshims_pipe_cloexec(&fds) == 0 else { throw Errno.current }
        var moved: [Int32] = []
        for fd in fds {
            let high = fcntl(fd, F_DUPFD_CLOEXEC, lowestNumber)
            let error = Errno.current
            FileDescriptor(rawValue: fd).close()
            guard high >= 0 else {
                for done in moved { FileDescriptor(rawValue: done).close() }
                throw error
            }
            moved.append(high)
        }
        return (FileDescriptor(rawValue: moved[0]), FileDescriptor(rawValue: moved[1]))
    }

    /// Pipe ends are numbered from here up (children get theirs at lower numbers).
    public static let lowestNumber: Int32 = 10

    /// What waiting on a pipe's read end saw.
    public enum Reading: Equatable, Sendable {
        /// A byte arrived.
        case byte
        /// Every write end is closed (the writer exited).
        case endOfFile
        /// Nothing within the time given.
        case timedOut
    }

    /// Blocks the calling thread until a byte can be read from `fd` (and reads it), its writers are gone, or `seconds`
    /// pass (nil: no limit). The kernel wakes it (`poll`), nothing polls in a loop.
    public static func awaitByte(_ fd: FileDescriptor, seconds: Double?) -> Reading {
        var entry = pollfd(fd: fd.rawValue, events: Int16(POLLIN), revents: 0)
        let deadline = seconds.map { Monotonic.nanoseconds() &+ UInt64(max(0, $0) * 1e9) }
        while true {
            var timeout: Int32 = -1
            if let deadline {
                let now = Monotonic.nanoseconds()
                guard now < deadline else { return .timedOut }
                timeout = Int32(min(Double(Int32.max), (Double(deadline - now) / 1e6).rounded(.up)))
            }
            let ready = poll(&entry, 1, timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                return .endOfFile
            }
            if ready == 0 { continue }   // the deadline check above ends the wait
            var byte: UInt8 = 0
            let count = read(fd.rawValue, &byte, 1)
            if count == 1 { return .byte }
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            return .endOfFile
        }
    }
}
