import Contracts
import Foundation
import GatewayService
import Lifecycle
import Posix
import RPC
import Workflows

/// `serve --demo`: imports the bundled demo history into the tenant `demo`, makes its recent activity (``DemoActivity``,
/// unless `--demo-pristine`) and prints a link.
enum Demo {
    static let tenant = "demo"

    static func load(file: String?, runDirectory: RunDirectory, configuration: Configuration, url: String?, activity: Bool = true) async throws {
        guard let path = file ?? locate() else { throw LauncherError("cannot find deploy/demo/tickets.jsonl (pass --demo-data FILE)") }
        let storage = StorageClient(service: "storage", socketPaths: runDirectory.sockets(.storage, count: 1), defaultTimeout: 120)
        defer { storage.close() }
        let summary = try await HistoryImporter(storage: storage, tenant: tenant).run(shiftedToToday(try HistoryReader.read(path: path)))
        print("Demo data: \(summary.created) new, \(summary.unchanged) unchanged tickets in tenant '\(tenant)'.")
        let secret = try JWTSecret.resolve(configuration, create: false)
        // A week, unless auth.maxTokenLifetimeSeconds allows less (the gateway would refuse it).
        let ttl = min(7 * 86_400, configuration[GatewaySettings.self].maxTokenLifetimeSeconds)
        let token = TokenIssuer.issue(secret: secret, tenant: tenant, subject: "demo-admin", roles: ["*": .admin], ttl: ttl)
        let validity = ttl >= 86_400 ? "\(Int(ttl / 86_400)) days" : "\(Int(ttl / 3600)) hours"
        print("API token (admin of every project in '\(tenant)', valid \(validity)); set it in your shell with:\nexport TOKEN=\(token)")
        if let url, activity {
            do {
                let activity = try await DemoActivity(base: url, token: token).run()
                if activity.recommended > 0 {
                    print("Demo activity: \(activity.recommended) recommendations, \(activity.assigned) assignments (\(activity.overridden) overrides).")
                }
            } catch {
                print("Demo activity skipped: \(error)")
            }
        }
        if let url {
            print("Web panel (the link signs you in as that admin):\n\(url)#token=\(token)")
            print("Try: curl -s -X POST \(url)api/v1/tickets/ZK-1200/recommendations -H \"Authorization: Bearer $TOKEN\"")
        }
    }

    /// The demo history moved forward by whole days so that its latest date is today: the demo is alive on
    /// any day (the `recent` pool and the fairness window count back from today).
    static func shiftedToToday(_ lines: [HistoryReader.Line], now: Date = Date()) -> [HistoryReader.Line] {
        let latest = lines.compactMap { line -> Date? in
            guard case .success(let record) = line.result else { return nil }
            return [record.created, record.resolved].compactMap { $0 }.max()
        }.max()
        guard let latest, now > latest else { return lines }
        let shift = (now.timeIntervalSince(latest) / 86_400).rounded(.down) * 86_400
        return lines.map { line in
            guard case .success(var record) = line.result else { return line }
            record.created += shift
            record.resolved = record.resolved.map { $0 + shift }
            return HistoryReader.Line(number: line.number, result: .success(record))
        }
    }

    /// deploy/demo/tickets.jsonl in the working directory or above the executable.
    static func locate() -> String? {
        let relative = "deploy/demo/tickets.jsonl"
        var candidates = [FileManager.default.currentDirectoryPath + "/" + relative]
        var directory = (ChildProcess.currentExecutablePath() as NSString).deletingLastPathComponent
        for _ in 0..<6 {
            candidates.append(directory + "/" + relative)
            directory = (directory as NSString).deletingLastPathComponent
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}
