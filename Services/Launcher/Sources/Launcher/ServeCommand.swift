import Contracts
import Foundation
import GatewayService
import Lifecycle
import Observability
import Posix
import RPC

/// `smart-ticket serve`: creates the run directory, starts the services, supervises them.
enum ServeCommand {
    static let spec = CommandSpec(
        name: "smart-ticket serve", summary: "Start every SmartTicket service under supervision.",
        options: [
            .config("Configuration file (JSON); environment variables override it."),
            .init("run-dir", value: "DIR", help: "Run directory for sockets (default ./run)."),
            .dataDir("Data directory for the database (default ./data)."),
            .init("http-port", value: "N", help: "Gateway TCP port; 0 picks a free port."),
            .binDir("Where the service executables are (default: beside smart-ticket)."),
            .init("demo", help: "Import demo data into the tenant `demo` and print a link with an admin token."),
            .init("demo-data", value: "FILE", help: "Ticket history for --demo (default deploy/demo/tickets.jsonl)."),
            .init("demo-pristine", help: "With --demo, import the history only: no recent activity (capacity, leave, assignments, overrides)."),
            .init("print-config", help: "Print the effective configuration and exit."),
        ])

    static func run(_ arguments: [String]) async throws -> Int32 {
        let parsed = try spec.parse(arguments)
        var configuration = try LauncherCLI.loadConfiguration(file: parsed["config"])
        if let value = parsed["run-dir"] { try configuration.set("runDir", value) }
        if let value = parsed["data-dir"] { try configuration.set("dataDir", value) }
        if let value = parsed["http-port"] { try configuration.set("http.port", value) }
        if parsed.has("print-config") {
            print(configuration.describe())
            return 0
        }
        let logger = Logger(label: "launcher", level: Logger.Level(name: configuration.logLevel) ?? .info)
        let runDirectory = RunDirectory(path: absolute(configuration.runDir))
        configuration.runDir = runDirectory.path
        configuration.dataDir = absolute(configuration.dataDir)
        try makeDirectory(runDirectory.path, mode: 0o700)
        try makeDirectory(runDirectory.socketsPath, mode: 0o700)
        try makeDirectory(configuration.dataDir, mode: 0o700)
        _ = try JWTSecret.resolve(configuration, create: true)

        // One launcher per run directory: a live control socket means another one is running.
        try SocketFile.claim(runDirectory.launcherSocket)
        for kind in ServiceKind.allCases {
            for socket in runDirectory.sockets(kind, count: configuration.instances(of: kind)) {
                if SocketFile.isLive(socket) { throw LauncherError("already running: a live process answers on \(socket)") }
            }
        }

        try checkHTTPPort(configuration[GatewaySettings.self])

        let binDir = parsed["bin-dir"].map(absolute) ?? (ChildProcess.currentExecutablePath() as NSString).deletingLastPathComponent
        var options = Supervisor.Options()
        options.shutdownGrace = configuration.shutdownGraceSeconds
        options.maxRestarts = configuration.restartMaxRestarts
        options.restartWindow = configuration.restartWindowSeconds
        options.initialBackoff = configuration.restartInitialBackoffSeconds
        options.maxBackoff = configuration.restartMaxBackoffSeconds
        options.startupTimeout = configuration.startupTimeoutSeconds
        options.healthInterval = configuration.healthIntervalSeconds
        options.healthFailures = configuration.healthFailures
        options.environment = [
            "SMART_TICKET_RUN_DIR": configuration.runDir,
            "SMART_TICKET_DATA_DIR": configuration.dataDir,
            "SMART_TICKET_HTTP_PORT": String(configuration[GatewaySettings.self].httpPort),
        ]
        var specs: [ChildSpec] = []
        for kind in ServiceKind.allCases {
            for instance in 0..<configuration.instances(of: kind) {
                let socket = runDirectory.socket(kind, instance: instance)
                var arguments = ["--socket", socket, "--instance", String(instance), "--run-dir", runDirectory.path]
                if let file = parsed["config"] { arguments += ["--config", absolute(file)] }
                specs.append(ChildSpec(kind: kind, instance: instance, executable: "\(binDir)/\(kind.executableName)",
                                       arguments: arguments, socket: socket))
            }
        }
        for spec in specs where !FileManager.default.isExecutableFile(atPath: spec.executable) {
            throw LauncherError("cannot find the executable \(spec.executable) (build with 'swift build' or pass --bin-dir)")
        }

        let supervisor = Supervisor(specs: specs, options: options, logger: logger)
        let signals = SignalWatcher { signal in
            Task { await supervisor.shutdown(exitCode: 0) }
        }
        defer { signals.cancel() }

        var router = Router()
        router.registerAsync(LauncherContract.status) { _, _ in
            let instances = await supervisor.status()
            return LauncherContract.StatusResponse(instances: instances, url: await gatewayURL(runDirectory, timeout: 0.5), launcherPid: getpid())
        }
        router.registerBlocking(LauncherContract.stop) { _, _ in
            Task { await supervisor.shutdown(exitCode: 0) }
            return LauncherContract.StopResponse()
        }
        let control = RPCServer(socketPath: runDirectory.launcherSocket, router: router,
                                identity: .init(service: "launcher", version: SmartTicketVersion.current), logger: logger)
        try control.start()
        defer { control.stop() }

        do {
            try await supervisor.start()
        } catch {
            FileHandle.standardError.write(Data("smart-ticket serve: \(error)\n".utf8))
            return 1
        }
        let url = await gatewayURL(runDirectory)
        if let url { print("SmartTicket is running. Open \(url)") }
        if parsed.has("demo") {
            do {
                try await Demo.load(file: parsed["demo-data"], runDirectory: runDirectory, configuration: configuration, url: url,
                                    activity: !parsed.has("demo-pristine"))
            } catch {
                FileHandle.standardError.write(Data("smart-ticket serve: demo data not loaded: \(error)\n".utf8))
            }
        }
        print("Run directory: \(runDirectory.path)  (stop with Ctrl-C or SIGTERM)")
        fflush(nil)
        let code = await supervisor.waitUntilStopped()
        if let failure = await supervisor.failureReason {
            FileHandle.standardError.write(Data("smart-ticket serve: \(failure)\n".utf8))
        }
        return code
    }

    /// Fails with one clear line when the gateway's port cannot be had (in use, or not allowed), instead of letting
    /// the gateway fail, be restarted and give up. The port is only tried here and let go at once.
    static func checkHTTPPort(_ settings: GatewaySettings) throws {
        guard settings.httpPort != 0 else { return }
        let (host, port) = (settings.httpHost, settings.httpPort)
        do throws(Errno) {
            try Socket.listenTCP(host: host, port: UInt16(port)).close()
        } catch where error == .addressInUse {
            throw LauncherError("port \(port) on \(host) is already in use: stop what listens there, "
                                + "or choose another port with --http-port or http.port (SMART_TICKET_HTTP_PORT)")
        } catch {
            throw LauncherError("cannot listen on \(host):\(port) (\(error)): check http.host and http.port")
        }
    }

    /// The URL the gateway reports, waiting up to `timeout` seconds for it: the gateway answers on its
    /// socket a moment before its HTTP listener is bound and the URL known.
    static func gatewayURL(_ runDirectory: RunDirectory, timeout: Double = 10) async -> String? {
        let client = RPCClient(service: "gateway", socketPaths: [runDirectory.socket(.gateway, instance: 0)], connectionsPerInstance: 1)
        defer { client.close() }
        let deadline = Deadline.after(seconds: timeout)
        while true {
            let info = try? await client.call(StandardMethods.info, InfoRequest(), deadline: deadline)
            if let url = info?.details["url"] { return url }
            if deadline.hasPassed { return nil }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
    }

    static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return (full as NSString).standardizingPath
    }

    static func makeDirectory(_ path: String, mode: mode_t) throws {
        if mkdir(path, mode) != 0 && errno != EEXIST {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: Int(mode)])
        }
        _ = chmod(path, mode)
    }
}
