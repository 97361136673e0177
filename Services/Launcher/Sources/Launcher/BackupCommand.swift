import Contracts
import Foundation
import Lifecycle
import RPC

/// `smart-ticket backup`: asks the running storage service for an online, verified copy of the database.
enum BackupCommand {
    static let spec = CommandSpec(
        name: "smart-ticket backup",
        summary: """
            Copy the running system's database to a file while it keeps serving (SQLite online backup).
            The storage process writes the file: give a path it may write (under systemd, for example
            /var/lib/smart-ticket/backups/...; its /tmp is private). The copy is checked with
            PRAGMA integrity_check before it is renamed into place; an existing file is never overwritten.
            """,
        options: [
            .runDir,
            .init("output", value: "FILE", help: "Backup file to create (required; must not exist)."),
            .init("timeout", value: "SECONDS", help: "Give up after this long (default 3600)."),
            .init("pages-per-step", value: "N", help: "Pages copied per step; writers proceed between steps (default 256)."),
            .quiet,
        ])

    static func run(_ arguments: [String]) async throws -> Int32 {
        let parsed = try spec.parse(arguments)
        let output = ServeCommand.absolute(try parsed.require("output"))
        let timeout = Double(try parsed.int("timeout") ?? 3600)
        guard timeout > 0 else { throw UsageError(message: "--timeout must be positive") }
        let runDirectory = parsed.runDirectory
        try RunningServices.require(.storage, in: runDirectory)
        let sockets = runDirectory.sockets(.storage, count: 1)
        let client = StorageClient(service: "storage", socketPaths: sockets, connectionsPerInstance: 1, defaultTimeout: timeout)
        defer { client.close() }
        let poller = StorageClient(service: "storage", socketPaths: sockets, connectionsPerInstance: 1, defaultTimeout: 5)
        defer { poller.close() }
        let quiet = parsed.has("quiet")
        let watcher = Task {
            var bar: ProgressBar?
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 200_000_000)
                guard let progress = try? await poller.call(StorageContract.backupProgress, .init()), progress.running,
                      progress.pagesTotal > 0 else { continue }
                if bar == nil { bar = ProgressBar(total: progress.pagesTotal, label: "backing up (pages)", enabled: !quiet) }
                bar?.update(progress.pagesDone)
            }
            bar?.finish()
        }
        defer { watcher.cancel() }
        let result: StorageContract.BackupResult
        do {
            result = try await client.call(StorageContract.backup, .init(destination: output, pagesPerStep: try parsed.int("pages-per-step")),
                                        timeout: timeout)
        } catch let error as RPCError {
            FileHandle.standardError.write(Data("smart-ticket backup: \(error.message) (\(error.code))\n".utf8))
            return 1
        } catch {
            FileHandle.standardError.write(Data("smart-ticket backup: no storage service answers in \(runDirectory.path) (\(error))\n".utf8))
            return 1
        }
        watcher.cancel()
        _ = await watcher.value
        print("backup: \(result.destination): \(result.pages) pages, \(result.bytes) bytes, schema version \(result.schemaVersion), "
              + "integrity \(result.integrity), \(String(format: "%.2f", result.seconds)) s")
        return 0
    }
}
