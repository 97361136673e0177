import Contracts
import Foundation
import GatewayService
import Lifecycle
import RPC
import StorageService
import Synchronization

/// `smart-ticket restore`: replaces a stopped system's database with a backup file.
enum RestoreCommand {
    static let spec = CommandSpec(
        name: "smart-ticket restore",
        summary: """
            Replace the database in a data directory with a backup file, offline. Refuses while the
            system runs (its launcher or storage socket answers). The input is copied beside the
            database, synced and checked (integrity, schema version) before it atomically replaces
            the database; stale -wal/-shm files are removed. Only the database is restored: keep the
            configuration and secrets (jwt-secret in the data directory) with your backups.
            """,
        options: [
            .dataDir("Data directory whose database is replaced (required)."),
            .init("input", value: "FILE", help: "Backup file to restore (required)."),
            .init("run-dir", value: "DIR", help: "Run directory of the system, checked to be stopped (default ./run)."),
            .config("Configuration file (for storage.file)."),
            .quiet,
        ])

    static func run(_ arguments: [String]) async throws -> Int32 {
        let parsed = try spec.parse(arguments)
        let dataDir = ServeCommand.absolute(try parsed.require("data-dir"))
        let input = ServeCommand.absolute(try parsed.require("input"))
        var configuration = try LauncherCLI.loadConfiguration(file: parsed["config"])
        try configuration.set("dataDir", dataDir)
        let runDirectory = RunDirectory(path: ServeCommand.absolute(parsed["run-dir"] ?? configuration.runDir))
        if let socket = await answeringSocket(runDirectory) {
            FileHandle.standardError.write(Data("smart-ticket restore: the system is running (\(socket) answers); stop it first\n".utf8))
            return 1
        }
        let databasePath = configuration.databasePath
        let quiet = parsed.has("quiet")
        let bar = LockedBar()
        let result: DatabaseRestore.Result
        do {
            result = try await Task.detached {
                try DatabaseRestore.restore(input: input, databasePath: databasePath) { done, total in
                    bar.update(done: done, total: total, quiet: quiet)
                }
            }.value
        } catch {
            bar.finish()
            FileHandle.standardError.write(Data("smart-ticket restore: \(error); nothing was changed\n".utf8))
            return 1
        }
        bar.finish()
        print("restored \(input) into \(databasePath): \(result.bytes) bytes, schema version \(result.schemaVersion)"
              + (result.replacedExisting ? " (replaced the previous database)" : ""))
        if let warning = signingKeyWarning(configuration) { print(warning) }
        return 0
    }

    /// What to tell the operator when the restored data directory has no token signing key and none is configured:
    /// `serve` would make a new one, and every token issued before would be refused.
    static func signingKeyWarning(_ configuration: Configuration,
                                  environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let configured = !(environment["SMART_TICKET_JWT_SECRET"] ?? "").isEmpty || !configuration[GatewaySettings.self].jwtSecret.isEmpty
        let file = JWTSecret.filePath(dataDir: configuration.dataDir)
        guard !configured, !FileManager.default.fileExists(atPath: file) else { return nil }
        return "warning: \(configuration.dataDir) has no token signing key (jwt-secret) and none is configured, so `serve` will make a "
            + "new one and every API token issued before will be refused. To keep them valid, copy jwt-secret from the old data "
            + "directory (or from where you keep it with your backups) to \(file) with mode 0600 before starting, or set "
            + "SMART_TICKET_JWT_SECRET to the old key; otherwise issue new tokens with `smart-ticket token create`."
    }

    /// The first of the launcher's and storage's sockets that answers, if any.
    static func answeringSocket(_ runDirectory: RunDirectory) async -> String? {
        for socket in [runDirectory.launcherSocket, runDirectory.socket(.storage, instance: 0)] {
            guard FileManager.default.fileExists(atPath: socket) else { continue }
            let client = RPCClient(service: "probe", socketPaths: [socket], connectionsPerInstance: 1)
            defer { client.close() }
            if (try? await client.call(StandardMethods.health, .init(), timeout: 2)) != nil { return socket }
        }
        return nil
    }
}

/// A progress bar created once the total is known.
private final class LockedBar: Sendable {
    private let bar = Mutex<ProgressBar?>(nil)

    func update(done: Int, total: Int, quiet: Bool) {
        let bar = bar.withLock { bar in
            if bar == nil { bar = ProgressBar(total: total, label: "restoring (bytes)", enabled: !quiet) }
            return bar
        }
        bar?.update(done)
    }

    func finish() {
        bar.withLock { $0 }?.finish()
    }
}
