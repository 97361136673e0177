import CShims
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a child process ended.
public enum TerminationStatus: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    /// Decodes a raw `waitpid` status.
    public init(waitStatus status: Int32) {
        if status & 0x7f == 0 {
            self = .exited((status >> 8) & 0xff)
        } else {
            self = .signaled(status & 0x7f)
        }
    }

    public var description: String {
        switch self {
        case .exited(let code): return "exited with code \(code)"
        case .signaled(let signal): return "killed by signal \(signal)"
        }
    }
}

/// Spawning and signalling child processes with posix_spawn.
public enum ChildProcess {
    /// Starts `path` with `arguments` (not including argv[0]) and `environment`; standard input is
    /// /dev/null, standard output and error are inherited, and the child leads a new process group. Each of `passing`
    /// (`(descriptor, number)`: a descriptor of ours, numbered at least ``SignalPipe/lowestNumber``) is given to the child at
    /// `number`; nothing else is inherited. Returns the process id.
    public static func spawn(path: String, arguments: [String], environment: [String: String],
                             passing: [(FileDescriptor, Int32)] = []) throws(Errno) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        for (descriptor, number) in passing { posix_spawn_file_actions_adddup2(&actions, descriptor.rawValue, number) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Children start with default signal handling and an empty mask, whatever the parent set.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        // Each child gets its own process group, so a terminal's Ctrl-C reaches only the launcher,
        // which then stops the children in order.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let argv = ([path] + arguments).map { strdup($0) }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") }
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
            (envp + [nil]).withUnsafeBufferPointer { envBuffer in
                posix_spawn(&pid, path, &actions, &attributes,
                            UnsafeMutablePointer(mutating: argvBuffer.baseAddress!),
                            UnsafeMutablePointer(mutating: envBuffer.baseAddress!))
            }
        }
        guard result == 0 else { throw Errno(rawValue: result) }
        return pid
    }

    /// Sends a signal; a process that is already gone is not an error.
    public static func signal(_ pid: pid_t, _ signal: Int32) {
        _ = kill(pid, signal)
    }

    /// Waits for any child; nil when there is none left.
    public static func waitAny() -> (pid: pid_t, status: TerminationStatus)? {
        var status: Int32 = 0
        while true {
            let pid = waitpid(-1, &status, 0)
            if pid > 0 { return (pid, TerminationStatus(waitStatus: status)) }
            if pid == -1 && errno == EINTR { continue }
            return nil
        }
    }

    /// Sends SIGTERM to this process once `lifeline` (the read end of a pipe whose write end only the launcher holds)
    /// reads end of file: the launcher died, however it died. A background thread sleeps in the kernel until then, so a
    /// supervised child never outlives its launcher.
    public static func exitWhenClosed(lifeline: FileDescriptor) {
        let thread = Thread {
            while SignalPipe.awaitByte(lifeline, seconds: nil) == .byte {}
            kill(getpid(), SIGTERM)
        }
        thread.name = "lifeline"
        thread.start()
    }

    /// The absolute path of the running executable.
    public static func currentExecutablePath() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return CommandLine.arguments[0] }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
