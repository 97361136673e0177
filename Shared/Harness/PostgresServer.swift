import CShims
import Foundation
import Glibc
import Posix
import Synchronization

/// A throwaway PostgreSQL server for tests and benches: `initdb` into a temporary directory, then
/// `postgres` on a free 127.0.0.1 port with its Unix socket in that directory; ``close()`` stops it
/// and removes everything. The superuser `postgres` signs in over TCP with a password (in
/// ``passwordFile``, as an operator's would be), and over the socket without one (for `psql`).
///
/// `initdb` and `pg_ctl` refuse to run as root: as root (CI) they run as `nobody`, which owns the
/// directory. The binaries are found on PATH or under `/usr/lib/postgresql/*/bin`; without them
/// ``start()`` throws ``Unavailable`` saying what to install, so tests that need the server fail
/// (they never skip). ``shared()`` starts one server per process for every test to share, each in a
/// database of its own (``createDatabase()``). A watchdog process stops every server and removes its
/// directory when the process that started it ends, however it ends.
public final class PostgresServer: Sendable {
    /// The server cannot run here; the message says why and what to install.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The temporary directory: the data directory, the socket, the log and the password file.
    public let directory: String
    /// The TCP port on 127.0.0.1.
    public let port: Int
    /// A file holding the superuser's password (its only line).
    public let passwordFile: String
    /// The directory of `initdb`, `pg_ctl` and `psql`.
    private let binaries: String
    /// What runs `initdb` and `pg_ctl` as an unprivileged user when we are root (empty otherwise).
    private let runAs: [String]
    /// The write end of the watchdog's pipe (``startWatchdog(directory:binaries:runAs:)``).
    private let lifeline: Int32

    public static let superuser = "postgres"

    private init(directory: String, port: Int, passwordFile: String, binaries: String, runAs: [String], lifeline: Int32) {
        self.directory = directory
        self.port = port
        self.passwordFile = passwordFile
        self.binaries = binaries
        self.runAs = runAs
        self.lifeline = lifeline
    }

    // MARK: - Starting and stopping

    /// Creates and starts a new server (blocking: a second or two). Throws ``Unavailable`` without
    /// the PostgreSQL binaries.
    public static func start() throws -> PostgresServer {
        let binaries = try findBinaries()
        let runAs = try unprivilegedPrefix()
        let directory = TemporaryDirectory(prefix: "st-pg").path
        do {
            let passwordFile = directory + "/password"
            let password = (0..<24).map { _ in String(UInt8.random(in: 0...15), radix: 16) }.joined()
            guard FileManager.default.createFile(atPath: passwordFile, contents: Data((password + "\n").utf8),
                                                 attributes: [.posixPermissions: 0o600]) else {
                throw Unavailable(description: "cannot write \(passwordFile)")
            }
            if !runAs.isEmpty { try handToNobody([directory, passwordFile]) }
            let initdb = try run(runAs + ["\(binaries)/initdb", "--pgdata=\(directory)/data", "--username=\(superuser)",
                                          "--pwfile=\(passwordFile)", "--auth-local=trust", "--auth-host=scram-sha-256",
                                          "--encoding=UTF8", "--no-locale", "--no-sync"], in: directory)
            guard initdb.status == 0 else { throw Unavailable(description: "initdb failed: \(initdb.output.suffix(2000))") }
            let lifeline = try startWatchdog(directory: directory, binaries: binaries, runAs: runAs)
            var lastFailure = ""
            for _ in 0..<5 {   // a free port can be taken by someone else before the server binds it
                let server = PostgresServer(directory: directory, port: try freePort(), passwordFile: passwordFile,
                                            binaries: binaries, runAs: runAs, lifeline: lifeline)
                do {
                    try server.startServer()
                    return server
                } catch {
                    lastFailure = "\(error)"
                }
            }
            Glibc.close(lifeline)
            throw Unavailable(description: "PostgreSQL did not start: \(lastFailure)")
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// Starts the server again after ``stop()`` (same directory, same port).
    public func startServer() throws {
        let options = ["-p \(port)", "-k \(directory)", "-c listen_addresses=127.0.0.1", "-c max_connections=300",
                       "-c fsync=off", "-c full_page_writes=off", "-c shared_buffers=32MB"].joined(separator: " ")
        let started = try Self.run(runAs + ["\(binaries)/pg_ctl", "start", "--pgdata=\(directory)/data", "--wait", "--timeout=60",
                                            "--log=\(directory)/server.log", "-o", options], in: directory)
        guard started.status == 0 else {
            let log = (try? String(contentsOfFile: "\(directory)/server.log", encoding: .utf8)) ?? ""
            throw Unavailable(description: "pg_ctl start failed: \(started.output.suffix(1000)) \(log.suffix(2000))")
        }
    }

    /// Stops the server (a fast shutdown: sessions are ended, as in a restart); the directory stays.
    public func stop() throws {
        let stopped = try Self.run(runAs + ["\(binaries)/pg_ctl", "stop", "--pgdata=\(directory)/data", "--mode=fast", "--wait"],
                                   in: directory)
        guard stopped.status == 0 else { throw Unavailable(description: "pg_ctl stop failed: \(stopped.output.suffix(1000))") }
    }

    /// Stops the server if it runs and removes its directory.
    public func close() {
        try? stop()
        try? FileManager.default.removeItem(atPath: directory)
        Glibc.close(lifeline)
    }

    /// Starts a watchdog that stops the server and removes `directory` once this process is gone,
    /// however it ends (a crash, a kill, the end of the tests): a shell in a process group of its
    /// own, blocked reading a pipe whose write end only this process holds (close-on-exec, so no
    /// child inherits it). Returns that write end.
    private static func startWatchdog(directory: String, binaries: String, runAs: [String]) throws -> Int32 {
        let pipe: (read: FileDescriptor, write: FileDescriptor)
        do { pipe = try SignalPipe.make() } catch { throw Unavailable(description: "pipe failed (\(error))") }
        let ends = [pipe.read.rawValue, pipe.write.rawValue]
        defer { pipe.read.close() }
        let script = #"read line; "$@" >/dev/null 2>&1; rm -rf -- "$0""#
        let stop = runAs + ["\(binaries)/pg_ctl", "stop", "--pgdata=\(directory)/data", "--mode=immediate"]
        do {
            _ = try spawn(["/bin/sh", "-c", script, directory] + stop, input: ends[0], output: "/dev/null", error: "/dev/null",
                          ownGroup: true)
        } catch {
            Glibc.close(ends[1])
            throw error
        }
        return ends[1]
    }

    // MARK: - Databases

    /// The URL of `database` for the superuser over TCP (its password is in ``passwordFile``).
    public func url(database: String) -> String {
        "postgresql://\(Self.superuser)@127.0.0.1:\(port)/\(database)"
    }

    /// Creates a new empty database (`test_<uuid>` unless named) and returns its name.
    @discardableResult
    public func createDatabase(_ name: String = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "_")) throws -> String {
        try sql("CREATE DATABASE \"\(name)\"")
        return name
    }

    /// Drops `name`, ending its sessions first.
    public func dropDatabase(_ name: String) throws {
        try sql("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
    }

    /// Runs `statement` with `psql` over the Unix socket in `database`; returns what it printed
    /// (unaligned, tuples only).
    @discardableResult
    public func sql(_ statement: String, database: String = "postgres") throws -> String {
        let result = try Self.run(["\(binaries)/psql", "--no-psqlrc", "--host=\(directory)", "--port=\(port)",
                                   "--username=\(Self.superuser)", "--dbname=\(database)", "--set=ON_ERROR_STOP=1",
                                   "--tuples-only", "--no-align", "--quiet", "--command=\(statement)"], in: directory)
        guard result.status == 0 else { throw Unavailable(description: "psql failed: \(result.output.suffix(1000))") }
        return result.stdout
    }

    /// Runs one of PostgreSQL's client tools (`pg_dump`, `pg_restore`, `psql`...) as the superuser over the Unix
    /// socket, with `arguments` after the connection options; throws with its output when it fails.
    @discardableResult
    public func client(_ tool: String, _ arguments: [String]) throws -> String {
        let result = try Self.run(["\(binaries)/\(tool)", "--host=\(directory)", "--port=\(port)", "--username=\(Self.superuser)"] + arguments,
                                  in: directory)
        guard result.status == 0 else { throw Unavailable(description: "\(tool) failed: \(result.output.suffix(1000))") }
        return result.stdout
    }

    // MARK: - One server per process

    private enum SharedState: Sendable {
        case none
        case running(PostgresServer)
        case failed(String)
    }

    private static let sharedState = Mutex(SharedState.none)

    /// The process's server, started on first use on a thread of its own (never blocking the
    /// cooperative pool) and stopped by its watchdog when the process ends. Each caller makes its
    /// own database.
    public static func shared() async throws -> PostgresServer {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try sharedBlocking() }) }.start()
        }
    }

    private static func sharedBlocking() throws -> PostgresServer {
        try sharedState.withLock { state in
            switch state {
            case .running(let server): return server
            case .failed(let message): throw Unavailable(description: message)
            case .none:
                do {
                    // Stopped by its watchdog when the process ends.
                    let server = try start()
                    state = .running(server)
                    return server
                } catch {
                    state = .failed("\(error)")
                    throw error
                }
            }
        }
    }

    // MARK: - Helpers

    /// The directory of `initdb`, `pg_ctl` and `postgres`: where PATH's `pg_ctl` really is, else the
    /// newest `/usr/lib/postgresql/<version>/bin`.
    private static func findBinaries() throws -> String {
        let fileManager = FileManager.default
        func complete(_ directory: String) -> Bool {
            ["initdb", "pg_ctl", "postgres", "psql"].allSatisfy { fileManager.isExecutableFile(atPath: "\(directory)/\($0)") }
        }
        for entry in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(entry)/pg_ctl"
            guard fileManager.isExecutableFile(atPath: candidate) else { continue }
            let resolved = (URL(fileURLWithPath: candidate).resolvingSymlinksInPath().path as NSString).deletingLastPathComponent
            if complete(resolved) { return resolved }
        }
        let versions = ((try? fileManager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap { Int($0) }.sorted(by: >)
        for version in versions where complete("/usr/lib/postgresql/\(version)/bin") {
            return "/usr/lib/postgresql/\(version)/bin"
        }
        throw Unavailable(description: """
            the PostgreSQL server is not installed: initdb, pg_ctl, postgres and psql were found neither on PATH nor in \
            /usr/lib/postgresql/*/bin (install the Debian package postgresql: scripts/install-deps does)
            """)
    }

    /// As root: the command prefix that runs a program as `nobody` (initdb and pg_ctl refuse root).
    private static func unprivilegedPrefix() throws -> [String] {
        guard geteuid() == 0 else { return [] }
        for runuser in ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"] where FileManager.default.isExecutableFile(atPath: runuser) {
            return [runuser, "-u", "nobody", "--"]
        }
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), let group = getgrnam("nogroup") ?? getgrnam("nobody") {
            return ["/usr/bin/setpriv", "--reuid=nobody", "--regid=\(group.pointee.gr_gid)", "--clear-groups"]
        }
        throw Unavailable(description: "running as root, and neither runuser nor setpriv is there to run initdb as nobody")
    }

    /// Gives `paths` to `nobody`.
    private static func handToNobody(_ paths: [String]) throws {
        guard let nobody = getpwnam("nobody") else { throw Unavailable(description: "running as root, and there is no user nobody") }
        for path in paths where chown(path, nobody.pointee.pw_uid, nobody.pointee.pw_gid) != 0 {
            throw Unavailable(description: "cannot give \(path) to nobody (errno \(errno))")
        }
    }

    /// A TCP port on 127.0.0.1 that is free now.
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Unavailable(description: "socket failed (errno \(errno))") }
        defer { Glibc.close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw Unavailable(description: "no free port (errno \(errno))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private struct Output {
        var status: Int32
        var stdout: String
        var output: String
    }

    /// Runs `command` in `directory` with standard input from /dev/null, and waits for it; its
    /// standard output, and that with its standard error. (Files, not pipes: `pg_ctl start` leaves a
    /// server running that must not hold anything of ours open.)
    private static func run(_ command: [String], in directory: String) throws -> Output {
        let stamp = UUID().uuidString
        let outPath = "/tmp/st-pg-\(stamp).out", errPath = "/tmp/st-pg-\(stamp).err"
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        // `sh` changes into the directory, then becomes the command (arguments passed as they are).
        let pid = try spawn(["/bin/sh", "-c", #"cd -- "$0" && exec "$@""#, directory] + command, input: nil,
                            output: outPath, error: errPath, ownGroup: false)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exited = status & 0x7F == 0
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Output(status: exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F), stdout: stdout, output: stdout + stderr)
    }

    /// Starts `command` (an absolute path and its arguments) with standard input from `input` (or
    /// /dev/null) and standard output and error into the files `output` and `error`, in a process
    /// group of its own if `ownGroup`; without the PostgreSQL variables of our environment, and without any other
    /// descriptor of this process.
    private static func spawn(_ command: [String], input: Int32?, output: String, error: String, ownGroup: Bool) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input { posix_spawn_file_actions_adddup2(&actions, input, 0) } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, error, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Nothing else of ours: a descriptor another thread has open at this moment (the write end of a pipe a test is
        // reading to its end) would stay open in the server for as long as it runs, and that read would never end.
        _ = cshims_spawn_addclosefrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if ownGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        }
        var environment = ProcessInfo.processInfo.environment
        for name in ["PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD", "PGDATA", "PGSERVICE", "PGOPTIONS"] {
            environment[name] = nil
        }
        environment["LC_ALL"] = "C"
        let argv = command.map { strdup($0) }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") }
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
            (envp + [nil]).withUnsafeBufferPointer { envBuffer in
                posix_spawn(&pid, command[0], &actions, &attributes, UnsafeMutablePointer(mutating: argvBuffer.baseAddress!),
                            UnsafeMutablePointer(mutating: envBuffer.baseAddress!))
            }
        }
        guard spawned == 0 else { throw Unavailable(description: "cannot run \(command[0]) (error \(spawned))") }
        return pid
    }
}
