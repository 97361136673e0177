import Contracts
import Foundation
import Lifecycle
import RPC
import Workflows

/// `smart-ticket import`: loads a ticket-history JSONL file into the running system.
enum ImportCommand {
    static let spec = CommandSpec(
        name: "smart-ticket import", summary: "Import a ticket history (JSONL; - reads standard input) into a running SmartTicket.",
        options: [
            .runDir,
            .tenant("Tenant to import into (created if missing; required)."),
            .init("batch", value: "N", help: "Tickets per storage call (default 1000)."),
            .quiet,
        ],
        positionals: ["FILE.jsonl"])

    static func run(_ arguments: [String]) async throws -> Int32 {
        let parsed = try spec.parse(arguments)
        let tenant = try parsed.require("tenant")
        guard let file = parsed.positionals.first else { throw UsageError(message: "smart-ticket import: FILE.jsonl is required") }
        let batchSize = try parsed.int("batch") ?? 1000
        guard (1...5000).contains(batchSize) else { throw UsageError(message: "--batch must be between 1 and 5000") }
        let runDirectory = parsed.runDirectory
        let lines: [HistoryReader.Line]
        do {
            lines = try HistoryReader.read(path: file)
        } catch {
            throw LauncherError(error.description)
        }
        try RunningServices.require(.storage, in: runDirectory)
        let client = StorageClient(service: "storage", socketPaths: runDirectory.sockets(.storage, count: 1), defaultTimeout: 120)
        defer { client.close() }
        // Every scoring and skills instance learns the resolved tickets as they are stored.
        let scoring = ScoringClient(service: "scoring", socketPaths: await sockets(.scoring, runDirectory), defaultTimeout: 30)
        defer { scoring.close() }
        let skills = SkillsClient(service: "skills", socketPaths: await sockets(.skills, runDirectory), defaultTimeout: 30)
        defer { skills.close() }
        let importer = HistoryImporter(storage: client, tenant: tenant, scoring: scoring, skills: skills)
        let progress = ProgressBar(total: lines.count, label: "importing", enabled: !parsed.has("quiet"))
        let summary = try await importer.run(lines, batchSize: batchSize) { done in progress.update(done) }
        progress.finish()
        print("new: \(summary.created), updated: \(summary.updated), unchanged: \(summary.unchanged), rejected: \(summary.rejected.count), "
              + "warnings: \(summary.warnings.count)")
        list("rejected", summary.rejected)
        list("warning", summary.warnings)
        guard summary.rejected.isEmpty else {
            FileHandle.standardError.write(Data(("smart-ticket import: \(summary.rejected.count) of \(lines.count) lines were rejected "
                + "(the others were imported); fix them and import the file again: lines already imported count as unchanged\n").utf8))
            return 1
        }
        return 0
    }

    /// Prints up to 50 of `problems`, one a line.
    private static func list(_ kind: String, _ problems: [HistoryReader.LineError]) {
        for problem in problems.prefix(50) { print("  line \(problem.line): \(kind): \(problem.reason)") }
        if problems.count > 50 { print("  ... and \(problems.count - 50) more (\(kind))") }
    }

    /// The sockets of every instance of `kind` the running launcher supervises (one when it cannot tell).
    static func sockets(_ kind: ServiceKind, _ runDirectory: RunDirectory) async -> [String] {
        // No launcher (Kubernetes runs each service as a container): one instance, without waiting for its timeout.
        guard SocketFile.isLive(runDirectory.launcherSocket) else { return runDirectory.sockets(kind, count: 1) }
        let launcher = LauncherClient(service: "launcher", socketPaths: [runDirectory.launcherSocket], connectionsPerInstance: 1)
        defer { launcher.close() }
        let instances = (try? await launcher.call(LauncherContract.status, .init(), timeout: 5))?.instances.filter { $0.service == kind }
        return runDirectory.sockets(kind, count: max(1, instances?.count ?? 1))
    }
}
