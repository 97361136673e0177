import Contracts
import Foundation
import Lifecycle
import Observability
import Posix
import RPC

/// Starts the children in order, restarts the ones that die, and stops them all in reverse order.
///
/// A child counts as up once its health method answers SERVING. A child that dies is restarted after
/// a jittered exponential backoff; more restarts of one child than the restart intensity allows stops
/// the whole tree with a failure, instead of looping forever.
public actor Supervisor {
    /// Timing and restart policy.
    public struct Options: Sendable {
        public var shutdownGrace: Double = 10
        public var maxRestarts = 5
        public var restartWindow: Double = 10
        public var initialBackoff: Double = 0.1
        public var maxBackoff: Double = 10
        public var startupTimeout: Double = 30
        /// How often a running child's health is asked (0: never), and after how many unanswered checks in a row it is
        /// killed, so the usual restart brings a hung child back.
        public var healthInterval: Double = 5
        public var healthFailures = 3
        /// Extra environment for every child.
        public var environment: [String: String] = [:]

        public init() {}
    }

    private final class Child {
        let spec: ChildSpec
        let health: RPCClient
        var pid: pid_t?
        var startedAt: UInt64 = 0
        var restarts = 0
        var state = "STOPPED"
        var intensity: RestartIntensity
        var backoff: Backoff
        /// The read end of the pipe the running process says it serves on (``Supervision``), until it has.
        var readyPipe: FileDescriptor?
        /// Health checks in a row the running process did not answer.
        var unanswered = 0
        /// Waits for a change of this child (``waitChange(_:seconds:)``).
        var changeWaiters: [UUID: CheckedContinuation<Void, Never>] = [:]
        /// Stops waiting for this child's process to exit (``waitExit(_:pid:seconds:)``), woken by ``childExited`` or a timeout.
        var exitWaiters: [UUID: CheckedContinuation<Void, Never>] = [:]

        init(spec: ChildSpec, options: Options) {
            self.spec = spec
            self.health = RPCClient(service: spec.name, socketPaths: [spec.socket], connectionsPerInstance: 1, defaultTimeout: 1)
            self.intensity = RestartIntensity(maxRestarts: options.maxRestarts, window: options.restartWindow)
            self.backoff = Backoff(initial: max(0.001, options.initialBackoff), maximum: max(options.initialBackoff, options.maxBackoff),
                                   multiplier: 2, jitter: 0.2)
        }
    }

    private enum Phase { case idle, starting, running, stopping, stopped }

    private let options: Options
    private let logger: Logger
    /// Signalled at every spawn, for the reaper waiting while there is no child.
    private nonisolated let spawned = DispatchSemaphore(value: 0)
    private let children: [Child]
    private var phase = Phase.idle
    private var failure: String?
    private var finished: [CheckedContinuation<Int32, Never>] = []
    private var exitCode: Int32?

    /// Creates a supervisor for `specs`, started in their order and stopped in reverse.
    public init(specs: [ChildSpec], options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
        self.children = specs.map { Child(spec: $0, options: options) }
    }

    /// Spawns every child in order, waiting for each kind to be SERVING before starting the next.
    /// Throws (after stopping whatever started) when a child cannot be brought up.
    public func start() async throws {
        phase = .starting
        startReaper()
        var index = 0
        while index < children.count {
            let kind = children[index].spec.kind
            let group = children[index...].prefix { $0.spec.kind == kind }
            for child in group { try spawn(child) }
            for child in group {
                let ok = await waitServing(child, timeout: options.startupTimeout)
                if !ok {
                    let reason = failure ?? "\(child.spec.name) did not report SERVING within \(options.startupTimeout) s"
                    failure = reason
                    await shutdown(exitCode: 1)
                    throw LauncherError(reason)
                }
            }
            index += group.count
        }
        phase = .running
        if options.healthInterval > 0 { Task { await self.watch() } }
    }

    /// Asks every serving child for its health each interval while the tree runs. A child that does not answer
    /// (within the interval, at most 2 s) `healthFailures` times in a row is hung (paused, deadlocked, stuck in a
    /// loop): it is killed, and the usual restart, with its backoff and intensity, brings it back. NOT_SERVING is an
    /// answer: a child draining, or storage without its database, is not helped by a restart.
    private func watch() async {
        while phase == .running {
            try? await Task.sleep(nanoseconds: UInt64(options.healthInterval * 1e9))
            for child in children where phase == .running {
                guard let pid = child.pid, child.state == "SERVING" || child.state == "UNREACHABLE" else { continue }
                let answered = (try? await child.health.call(StandardMethods.health, HealthCheckRequest(),
                                                              timeout: min(2, options.healthInterval))) != nil
                guard child.pid == pid else { continue }   // restarted meanwhile
                child.unanswered = answered ? 0 : child.unanswered + 1
                child.state = answered ? "SERVING" : "UNREACHABLE"
                if child.unanswered >= options.healthFailures {
                    logger.error("child stopped answering; killing it to restart it",
                                 ["child": .string(child.spec.name), "checks": .int(child.unanswered)])
                    child.unanswered = 0
                    kill(pid, SIGKILL)
                }
            }
        }
    }

    /// Waits until the tree has stopped; returns the exit code (0 after a requested stop, 1 after a failure).
    public func waitUntilStopped() async -> Int32 {
        if let exitCode { return exitCode }
        return await withCheckedContinuation { finished.append($0) }
    }

    /// The failure that stopped the tree, if any.
    public var failureReason: String? { failure }

    /// Stops every child, gateway first, then the rest in reverse start order: SIGTERM, then
    /// SIGKILL after the grace period. Removes the children's sockets.
    public func shutdown(exitCode code: Int32) async {
        guard phase != .stopping && phase != .stopped else { return }
        phase = .stopping
        wakeWaiters(nil)
        logger.info("stopping all services", ["failure": .bool(failure != nil)])
        for child in children.reversed() {
            await stop(child)
        }
        for child in children {
            unlink(child.spec.socket)
            child.health.close()
        }
        phase = .stopped
        exitCode = code
        for waiter in finished { waiter.resume(returning: code) }
        finished.removeAll()
    }

    /// Each instance's state for `smart-ticket status`, probing health live.
    public func status() async -> [LauncherContract.InstanceStatus] {
        var result: [LauncherContract.InstanceStatus] = []
        for child in children {
            var health = child.state
            if child.pid != nil && (child.state == "SERVING" || child.state == "NOT_SERVING" || child.state == "UNREACHABLE") {
                let answer = try? await child.health.call(StandardMethods.health, HealthCheckRequest(), timeout: 0.5)
                health = answer?.status.rawValue ?? "UNREACHABLE"
            }
            let uptime = child.pid == nil ? 0 : Double(Monotonic.nanoseconds() - child.startedAt) / 1e9
            result.append(.init(service: child.spec.kind, instance: child.spec.instance, pid: child.pid, health: health,
                                uptimeSeconds: uptime, restarts: child.restarts, socket: child.spec.socket))
        }
        return result
    }

    /// Called by the reaper when a child process ends.
    func childExited(pid: pid_t, status: TerminationStatus) {
        guard let child = children.first(where: { $0.pid == pid }) else { return }
        child.pid = nil
        let waiters = child.exitWaiters.values
        child.exitWaiters = [:]
        for waiter in waiters { waiter.resume() }
        if phase == .stopping || phase == .stopped {
            child.state = "STOPPED"
            return
        }
        logger.warning("child exited", ["child": .string(child.spec.name), "status": .string(status.description)])
        let now = Double(Monotonic.nanoseconds()) / 1e9
        if now - Double(child.startedAt) / 1e9 > options.restartWindow { child.backoff.reset() }
        guard child.intensity.recordRestart(at: now) else {
            let reason = "\(child.spec.name) restarted more than \(options.maxRestarts) times in \(options.restartWindow) s; giving up"
            logger.critical("restart intensity exceeded", ["child": .string(child.spec.name)])
            failure = reason
            child.state = "STOPPED"
            wakeWaiters(nil)
            if phase == .running { Task { await self.shutdown(exitCode: 1) } }
            return
        }
        child.state = "RESTARTING"
        let delay = child.backoff.next()
        Task {
            try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            await self.restart(child)
        }
    }

    private func restart(_ child: Child) async {
        guard phase == .running || phase == .starting, child.pid == nil, failure == nil else { return }
        do {
            try spawn(child)
        } catch {
            logger.error("restart failed", ["child": .string(child.spec.name), "error": .string(String(describing: error))])
            childExitedWithoutProcess(child)
            return
        }
        child.restarts += 1
        if await waitServing(child, timeout: options.startupTimeout) {
            logger.info("child restarted", ["child": .string(child.spec.name), "restarts": .int(child.restarts)])
        }
    }

    private func childExitedWithoutProcess(_ child: Child) {
        child.pid = -1
        childExited(pid: -1, status: .exited(127))
    }

    private func spawn(_ child: Child) throws {
        child.unanswered = 0
        unlinkStaleSocket(child.spec.socket)
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in options.environment { environment[key] = value }
        let readyPipe = try SignalPipe.make()
        let handed = Supervision.handing(ready: readyPipe.write)
        environment.merge(handed.environment) { _, handed in handed }
        let pid: pid_t
        do {
            pid = try ChildProcess.spawn(path: child.spec.executable, arguments: child.spec.arguments, environment: environment,
                                         passing: handed.passing)
        } catch {
            readyPipe.read.close()
            readyPipe.write.close()
            throw error
        }
        readyPipe.write.close()   // the child's copy is the only one left: its exit ends the pipe
        child.readyPipe?.close()   // a pipe nobody waited on
        child.readyPipe = readyPipe.read   // taken and closed by the wait for it (``waitServing``)
        child.pid = pid
        wakeWaiters(child)
        spawned.signal()   // the reaper may be waiting for a child to exist
        child.startedAt = Monotonic.nanoseconds()
        child.state = "STARTING"
        logger.info("started child", ["child": .string(child.spec.name), "pid": .int(Int(pid))])
    }

    /// Waits until the child says it serves (a byte on its ready pipe), the tree fails or stops, or `timeout` passes;
    /// whether it serves. A process that ends before serving closes its pipe; the wait goes on for the process a restart
    /// starts (or until the restart intensity gives up). Woken by the kernel (a thread blocked in `poll` on the pipe)
    /// and by the supervisor's own changes (``wakeWaiters(_:)``), never by polling.
    private func waitServing(_ child: Child, timeout: Double) async -> Bool {
        let deadline = Monotonic.nanoseconds() &+ UInt64(max(0, timeout) * 1e9)
        while true {
            if child.state == "SERVING", child.pid != nil { return true }
            let now = Monotonic.nanoseconds()
            guard failure == nil, phase != .stopping, phase != .stopped, now < deadline else { return false }
            let left = Double(deadline - now) / 1e9
            guard let pipe = child.readyPipe else {
                await waitChange(child, seconds: left)
                continue
            }
            child.readyPipe = nil   // this wait owns the pipe now
            let reading = await withCheckedContinuation { (continuation: CheckedContinuation<SignalPipe.Reading, Never>) in
                let thread = Thread { continuation.resume(returning: SignalPipe.awaitByte(pipe, seconds: left)) }
                thread.name = "ready-wait"
                thread.start()
            }
            pipe.close()
            if reading == .byte, child.pid != nil, failure == nil, phase != .stopping, phase != .stopped {
                child.state = "SERVING"
                wakeWaiters(child)
                return true
            }
            if reading == .timedOut { return false }
            // End of file: the process ended before serving; a restart (or giving up) follows.
        }
    }

    /// Waits until something about `child` changes (``wakeWaiters(_:)``: a spawn, serving, the tree failing or stopping)
    /// or `seconds` pass.
    private func waitChange(_ child: Child, seconds: Double) async {
        let id = UUID()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            child.changeWaiters[id] = continuation
            Task { [self] in
                try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
                self.stopWaiting(id)
            }
        }
    }

    /// Resumes every wait for a change of `child` (every child's when nil).
    private func wakeWaiters(_ child: Child?) {
        for child in child.map({ [$0] }) ?? children {
            let waiters = child.changeWaiters.values
            child.changeWaiters = [:]
            for waiter in waiters { waiter.resume() }
        }
    }

    private func stop(_ child: Child) async {
        guard let pid = child.pid, pid > 0 else {
            child.state = "STOPPED"
            return
        }
        child.state = "STOPPING"
        ChildProcess.signal(pid, SIGTERM)
        if await !waitExit(child, pid: pid, seconds: options.shutdownGrace) {
            logger.warning("child ignored SIGTERM; killing", ["child": .string(child.spec.name)])
            ChildProcess.signal(pid, SIGKILL)
            _ = await waitExit(child, pid: pid, seconds: nil)
        }
        child.state = "STOPPED"
    }

    /// Waits until the process `pid` of `child` has exited (the reaper reports it to ``childExited``), or `seconds` have
    /// passed (nil: no limit); whether it exited. Woken by the exit itself, not by polling.
    private func waitExit(_ child: Child, pid: pid_t, seconds: Double?) async -> Bool {
        while child.pid == pid {
            let id = UUID()
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                child.exitWaiters[id] = continuation
                if let seconds {
                    Task { [self] in
                        try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
                        self.stopWaiting(id)
                    }
                }
            }
            if seconds != nil { break }
        }
        return child.pid != pid
    }

    /// Ends the wait `id` of ``waitExit(_:pid:seconds:)`` (its time is up), if it still waits.
    private func stopWaiting(_ id: UUID) {
        for child in children {
            child.exitWaiters.removeValue(forKey: id)?.resume()
            child.changeWaiters.removeValue(forKey: id)?.resume()
        }
    }

    private func unlinkStaleSocket(_ path: String) {
        if !SocketFile.isLive(path) { unlink(path) }
    }

    /// Reaps every child on a thread of its own: `waitpid` blocks until one exits; with no child at all it waits until
    /// one is spawned (``spawned``) instead of polling.
    private nonisolated func startReaper() {
        let spawned = self.spawned
        let thread = Thread { [self] in
            while true {
                if let (pid, status) = ChildProcess.waitAny() {
                    Task { await self.childExited(pid: pid, status: status) }
                } else {
                    spawned.wait()
                }
            }
        }
        thread.name = "reaper"
        thread.start()
    }
}

/// A launcher failure with a message for the operator.
public struct LauncherError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
