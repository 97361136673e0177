#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error number reported by a system call.
public struct Errno: Error, Hashable, Sendable, CustomStringConvertible {
    /// The raw C `errno` value.
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The calling thread's current `errno`.
    public static var current: Errno { Errno(rawValue: errno) }

    public static let interrupted = Errno(rawValue: EINTR)
    public static let wouldBlock = Errno(rawValue: EAGAIN)
    public static let badFileDescriptor = Errno(rawValue: EBADF)
    public static let brokenPipe = Errno(rawValue: EPIPE)
    public static let connectionRefused = Errno(rawValue: ECONNREFUSED)
    public static let connectionReset = Errno(rawValue: ECONNRESET)
    public static let noSuchFileOrDirectory = Errno(rawValue: ENOENT)
    public static let addressInUse = Errno(rawValue: EADDRINUSE)
    public static let invalidArgument = Errno(rawValue: EINVAL)
    public static let nameTooLong = Errno(rawValue: ENAMETOOLONG)
    public static let noChildProcess = Errno(rawValue: ECHILD)
    public static let noSuchProcess = Errno(rawValue: ESRCH)
    public static let timedOut = Errno(rawValue: ETIMEDOUT)
    public static let tooManyOpenFiles = Errno(rawValue: EMFILE)

    public var description: String {
        guard let text = strerror(rawValue) else { return "errno \(rawValue)" }
        return "\(String(cString: text)) (errno \(rawValue))"
    }
}

/// Runs a system call, retrying on EINTR, and turns -1 into a thrown ``Errno``.
@inline(__always)
public func valueOrErrno<I: FixedWidthInteger>(
    retryOnInterrupt: Bool = true, _ body: () -> I
) throws(Errno) -> I {
    while true {
        let result = body()
        if result != -1 { return result }
        let error = Errno.current
        if retryOnInterrupt && error == .interrupted { continue }
        throw error
    }
}
