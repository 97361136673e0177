import CShims
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stream sockets: Unix domain and TCP, blocking, close-on-exec, never raising SIGPIPE.
public enum Socket {
    /// The longest path a Unix socket address can hold (sun_path without its NUL).
    public static let maxUnixPathLength = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// Creates a Unix socket listening at `path`. Fails if the path exists.
    public static func listenUnix(path: String, backlog: Int32 = 512) throws(Errno) -> FileDescriptor {
        let fd = try makeSocket(domain: AF_UNIX)
        do throws(Errno) {
            try withUnixAddress(path) { (address, length) throws(Errno) in
                _ = try valueOrErrno { bind(fd.rawValue, address, length) }
            }
            _ = try valueOrErrno { listen(fd.rawValue, backlog) }
            return fd
        } catch {
            fd.close()
            throw error
        }
    }

    /// Connects to the Unix socket at `path`.
    public static func connectUnix(path: String) throws(Errno) -> FileDescriptor {
        let fd = try makeSocket(domain: AF_UNIX)
        do throws(Errno) {
            try withUnixAddress(path) { (address, length) throws(Errno) in
                _ = try valueOrErrno { connect(fd.rawValue, address, length) }
            }
            return fd
        } catch {
            fd.close()
            throw error
        }
    }

    /// Creates a TCP socket listening on an IPv4 `host` and `port` (0 picks a free port).
    public static func listenTCP(host: String, port: UInt16, backlog: Int32 = 512) throws(Errno) -> FileDescriptor {
        let fd = try makeSocket(domain: AF_INET)
        do throws(Errno) {
            var yes: Int32 = 1
            _ = try valueOrErrno { setsockopt(fd.rawValue, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size)) }
            _ = try withIPv4Address(host: host, port: port) { (raw, length) throws(Errno) in
                try valueOrErrno { bind(fd.rawValue, raw, length) }
            }
            _ = try valueOrErrno { listen(fd.rawValue, backlog) }
            return fd
        } catch {
            fd.close()
            throw error
        }
    }

    /// Calls `body` with the IPv4 address `host` (dotted decimal) and `port` as a `sockaddr` and its length.
    private static func withIPv4Address<T>(host: String, port: UInt16,
                                           _ body: (UnsafePointer<sockaddr>, socklen_t) throws(Errno) -> T) throws(Errno) -> T {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw Errno.invalidArgument }
        return try withUnsafePointer(to: &address) { (pointer) throws(Errno) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(Errno) in
                try body(raw, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    /// Connects to an IPv4 `host` and `port`.
    public static func connectTCP(host: String, port: UInt16) throws(Errno) -> FileDescriptor {
        let fd = try makeSocket(domain: AF_INET)
        do throws(Errno) {
            _ = try withIPv4Address(host: host, port: port) { (raw, length) throws(Errno) in
                try valueOrErrno { connect(fd.rawValue, raw, length) }
            }
            try setNoDelay(fd)
            return fd
        } catch {
            fd.close()
            throw error
        }
    }

    /// The local TCP port a socket is bound to.
    public static func localPort(_ fd: FileDescriptor) throws(Errno) -> UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = try withUnsafeMutablePointer(to: &address) { (pointer) throws(Errno) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(Errno) in
                try valueOrErrno { getsockname(fd.rawValue, raw, &length) }
            }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    /// The IPv4 address of the peer, as dotted text, or nil for other socket kinds.
    public static func peerAddress(_ fd: FileDescriptor) -> String? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd.rawValue, $0, &length) }
        }
        guard result == 0, address.sin_family == sa_family_t(AF_INET) else { return nil }
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        guard inet_ntop(AF_INET, &address.sin_addr, &text, socklen_t(text.count)) != nil else { return nil }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Disables Nagle's algorithm on a TCP socket.
    public static func setNoDelay(_ fd: FileDescriptor) throws(Errno) {
        var yes: Int32 = 1
        _ = try valueOrErrno { setsockopt(fd.rawValue, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size)) }
    }

    /// Accepts one connection; the new descriptor is close-on-exec.
    public static func accept(_ listener: FileDescriptor) throws(Errno) -> FileDescriptor {
        let fd = try valueOrErrno { cshims_accept_cloexec(listener.rawValue) }
        return FileDescriptor(rawValue: fd)
    }

    /// Sends all bytes without raising SIGPIPE when the peer is gone.
    public static func sendAll(_ fd: FileDescriptor, _ bytes: UnsafeRawBufferPointer) throws(Errno) {
        var offset = 0
        while offset < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            offset += try valueOrErrno { send(fd.rawValue, rest.baseAddress, rest.count, Int32(MSG_NOSIGNAL)) }
        }
    }

    /// Sends all bytes of an array.
    public static func sendAll(_ fd: FileDescriptor, _ bytes: [UInt8]) throws(Errno) {
        try bytes.withUnsafeBytes { buffer in Result { () throws(Errno) in try sendAll(fd, buffer) } }.get()
    }

    /// Shuts down both directions, waking any thread blocked reading the socket.
    public static func shutdown(_ fd: FileDescriptor) {
        _ = Glibc.shutdown(fd.rawValue, Int32(SHUT_RDWR))
    }

    /// Sets a receive timeout, after which a blocked read fails with EAGAIN.
    public static func setReceiveTimeout(_ fd: FileDescriptor, milliseconds: Int) throws(Errno) {
        var value = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        _ = try valueOrErrno { setsockopt(fd.rawValue, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size)) }
    }

    /// Sets a receive timeout in microseconds (at least 1; the kernel rounds it up to its clock
    /// tick), after which a blocked read fails with EAGAIN.
    public static func setReceiveTimeout(_ fd: FileDescriptor, microseconds: Int64) throws(Errno) {
        let micros = max(1, microseconds)
        var value = timeval(tv_sec: Int(micros / 1_000_000), tv_usec: Int(micros % 1_000_000))
        _ = try valueOrErrno { setsockopt(fd.rawValue, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size)) }
    }

    /// Sets a send timeout, after which a blocked write fails with EAGAIN.
    public static func setSendTimeout(_ fd: FileDescriptor, milliseconds: Int) throws(Errno) {
        var value = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        _ = try valueOrErrno { setsockopt(fd.rawValue, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size)) }
    }

    private static func makeSocket(domain: Int32) throws(Errno) -> FileDescriptor {
        #if canImport(Glibc)
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = SOCK_STREAM
        #endif
        let fd = try valueOrErrno { socket(domain, type, 0) }
        return FileDescriptor(rawValue: fd)
    }

    private static func withUnixAddress<R>(
        _ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) throws(Errno) -> R
    ) throws(Errno) -> R {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count <= maxUnixPathLength else { throw Errno.nameTooLong }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + 1)
        return try withUnsafePointer(to: &address) { (pointer) throws(Errno) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(Errno) in
                try body(raw, length)
            }
        }
    }
}
