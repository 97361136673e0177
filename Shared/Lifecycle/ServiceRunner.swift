import Dispatch
import Foundation
import Observability
import Posix
import RPC

/// Runs one service executable: parses the common flags, serves its router on its socket, and
/// drains on SIGTERM or SIGINT before exiting 0.
///
/// Common flags: `--socket PATH` (required), `--instance N`, `--config FILE`, `--run-dir DIR`,
/// plus service-specific ones declared in `extraOptions`.
///
/// The configuration holds Lifecycle's keys and the service's own `sections`. The file is the launcher's,
/// with every service's keys: a key is refused only under a first path component that Lifecycle or one
/// of `sections` owns (`Configuration.UnknownKeys.rejectInRegisteredSections`).
public enum ServiceRunner {
    /// What a service's setup closure gets.
    public struct Setup: Sendable {
        public let configuration: Configuration
        public let arguments: ParsedArguments
        public let logger: Logger
        public let metrics: MetricsRegistry
        public let instance: Int
    }

    /// What a service's setup closure returns: its router, identity details, and an optional hook
    /// called after the socket is listening (for example to start an HTTP listener).
    public struct Service: Sendable {
        public var router: Router
        public var details: [String: String]
        public var onStarted: (@Sendable (RPCServer) throws -> Void)?
        public var onStopping: (@Sendable () async -> Void)?
        /// Whether the service can do its work now (storage: its database answers); health answers NOT_SERVING while
        /// not, so readiness fails and traffic goes elsewhere. Must answer at once (read a flag).
        public var isHealthy: @Sendable () -> Bool

        public init(router: Router, details: [String: String] = [:],
                    onStarted: (@Sendable (RPCServer) throws -> Void)? = nil,
                    onStopping: (@Sendable () async -> Void)? = nil, isHealthy: @escaping @Sendable () -> Bool = { true }) {
            self.router = router
            self.isHealthy = isHealthy
            self.details = details
            self.onStarted = onStarted
            self.onStopping = onStopping
        }
    }

    /// Parses `CommandLine.arguments`, loads the configuration with Lifecycle's keys and `sections`,
    /// builds the service with `setup`, and serves until told to stop. Never returns.
    public static func main(
        name: String, summary: String, sections: [any ConfigurationSection.Type], extraOptions: [CommandSpec.Option] = [],
        setup: @escaping @Sendable (Setup) async throws -> Service
    ) async -> Never {
        let spec = CommandSpec(name: name, summary: summary, options: [
            .init("socket", value: "PATH", help: "Unix socket to serve on (required)."),
            .init("instance", value: "N", help: "Instance number (default 0)."),
            .init("config", value: "FILE", help: "Configuration file (JSON)."),
            .init("run-dir", value: "DIR", help: "Run directory (overrides runDir)."),
            .init("log-level", value: "LEVEL", help: "Log level (overrides logLevel)."),
        ] + extraOptions)
        let arguments: ParsedArguments
        let configuration: Configuration
        do {
            arguments = try spec.parse(Array(CommandLine.arguments.dropFirst()))
            var loaded = try Configuration.load(file: arguments["config"], sections: sections, unknownKeys: .rejectInRegisteredSections)
            if let runDir = arguments["run-dir"] { try loaded.set("runDir", runDir) }
            if let level = arguments["log-level"] { try loaded.set("logLevel", level) }
            configuration = loaded
        } catch let error as UsageError {
            exitWithUsage(error)
        } catch {
            FileHandle.standardError.write(Data("\(name): \(error)\n".utf8))
            exit(2)
        }
        // Supervised children follow their launcher: no orphans if it is killed. Its lifeline pipe reads end of file
        // when it dies. (PR_SET_PDEATHSIG is not used: it fires when the spawning *thread* exits, which pool threads do
        // when idle.)
        let supervision = Supervision(environment: ProcessInfo.processInfo.environment)
        if let lifeline = supervision.lifeline { ChildProcess.exitWhenClosed(lifeline: lifeline) }
        signal(SIGPIPE, SIG_IGN)
        let instance = ((try? arguments.int("instance")) ?? nil) ?? 0
        let logger = Logger(label: name.replacingOccurrences(of: "smart-ticket-", with: ""),
                            level: Logger.Level(name: configuration.logLevel) ?? .info)
            .with(["instance": .int(instance)])
        guard let socket = arguments["socket"] else {
            FileHandle.standardError.write(Data("\(name): --socket is required\nRun '\(name) --help' for usage.\n".utf8))
            exit(2)
        }
        let metrics = MetricsRegistry()
        let service: Service
        do {
            service = try await setup(Setup(configuration: configuration, arguments: arguments, logger: logger,
                                            metrics: metrics, instance: instance))
        } catch {
            logger.critical("start-up failed", ["error": .string(String(describing: error))])
            exit(1)
        }
        let server = RPCServer(
            socketPath: socket, router: service.router,
            identity: .init(service: logger.label, version: SmartTicketVersion.current, instance: instance, details: service.details),
            logger: logger, metrics: metrics, maxFrameSize: configuration.rpcMaxFrameBytes, isHealthy: service.isHealthy)
        do {
            try server.start()
            try service.onStarted?(server)
        } catch {
            logger.critical("cannot serve", ["error": .string(String(describing: error))])
            exit(1)
        }
        supervision.ready()
        let (signals, continuation) = AsyncStream<Int32>.makeStream()
        let watcher = SignalWatcher { continuation.yield($0) }
        for await signal in signals {
            logger.info("stopping", ["signal": .int(Int(signal))])
            break
        }
        await service.onStopping?()
        await server.drain(grace: max(0, configuration.shutdownGraceSeconds - 0.5))
        withExtendedLifetime(watcher) {}
        logger.info("stopped")
        exit(0)
    }

    /// Prints help (exit 0) or a usage error (exit 2).
    public static func exitWithUsage(_ error: UsageError) -> Never {
        if error.isHelp {
            print(error.message, terminator: "")
            exit(0)
        }
        FileHandle.standardError.write(Data("\(error.message)\n".utf8))
        exit(2)
    }
}
