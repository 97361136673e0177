import Foundation
import Posix

/// Socket files in the run directory: stale ones are replaced, live ones are refused.
public enum SocketFile {
    /// Thrown when another process already answers on the socket.
    public struct AlreadyRunning: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "already running: a live process answers on \(path)" }
    }

    /// Makes `path` free for a new listener: removes a stale socket left by a crash, throws
    /// ``AlreadyRunning`` if a process still accepts connections there.
    public static func claim(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if let fd = try? Socket.connectUnix(path: path) {
            fd.close()
            throw AlreadyRunning(path: path)
        }
        unlink(path)
    }

    /// Whether a process accepts connections on `path`.
    public static func isLive(_ path: String) -> Bool {
        guard let fd = try? Socket.connectUnix(path: path) else { return false }
        fd.close()
        return true
    }
}
