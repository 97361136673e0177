import Foundation
import Harness
import Posix

/// A backfill and an incremental sync of N tickets through the real executables (`smart-ticket serve`,
/// `smart-ticket jira connect|sync`) against the fake Jira Cloud site of the tests, in tickets per second.
enum JiraSyncBench {
    static let token = "api-token-123"
    static let email = "bot@example.com"

    static func run(binDir: String, tickets count: Int, emit: (BenchResult) -> Void) async throws {
        let jira = try FakeJira(email: email, token: token)
        defer { jira.stop() }
        jira.maxPageSize = 100
        jira.addProject("ED", name: "Example")
        fill(jira, tickets: count)
        log("fake Jira ready with \(count) tickets; starting smart-ticket serve")

        let system = try await RunningSystem(environment: [
            "SMART_TICKET_JIRA_WEBHOOK_SECRET": "bench-webhook-secret", "SMART_TICKET_JIRA_SYNC_INTERVAL_SECONDS": "0",
            "SMART_TICKET_LOG_LEVEL": "warning",
        ], binDir: binDir)
        defer { system.directory.remove() }
        let cli = "\(binDir)/smart-ticket"
        let tokenFile = system.directory.file("jira-token")
        _ = FileManager.default.createFile(atPath: tokenFile, contents: Data(token.utf8), attributes: [.posixPermissions: 0o600])
        try check(try await ProcessRunner.run(cli, [
            "jira", "connect", "--run-dir", system.runDirectory.path, "--tenant", "bench", "--site", jira.baseURL,
            "--email", email, "--token-file", tokenFile, "--projects", "ED"]), "jira connect")
        let sync = { try await ProcessRunner.run(cli, ["jira", "sync", "--run-dir", system.runDirectory.path, "--tenant", "bench", "--quiet"]) }

        log("backfill of \(count) tickets")
        let backfillStart = Monotonic.nanoseconds()
        let backfill = try await sync()
        let backfillSeconds = Double(Monotonic.nanoseconds() - backfillStart) / 1e9
        try check(backfill, "jira sync (backfill)", expecting: "tickets: \(count) seen, \(count) new")
        emit(BenchResult(name: "jira.backfill", ops_per_s: Double(count) / backfillSeconds,
                         note: String(format: "%d tickets in %.2f s, %d Jira requests", count, backfillSeconds, jira.requests.count)))

        for index in stride(from: 1, through: count, by: 10) { jira.update("ED-\(index)") { $0.summary += " (edited)" } }
        let changed = (count + 9) / 10
        log("incremental sync of \(changed) changed tickets")
        let incrementalStart = Monotonic.nanoseconds()
        let incremental = try await sync()
        let incrementalSeconds = Double(Monotonic.nanoseconds() - incrementalStart) / 1e9
        try check(incremental, "jira sync (incremental)", expecting: "\(changed) updated")
        emit(BenchResult(name: "jira.incremental", ops_per_s: Double(changed) / incrementalSeconds,
                         note: String(format: "%d changed tickets in %.2f s", changed, incrementalSeconds)))
        _ = await system.stop()
    }

    /// 40 assignable people and `count` tickets, two thirds resolved, with words the detector knows.
    static func fill(_ jira: FakeJira, tickets count: Int) {
        let people = (0..<40).map { "acc-\($0)" }
        for person in people { jira.addUser(person, "Person \(person)", assignableIn: ["ED"]) }
        let words = ["postgres", "replica", "react", "css", "kafka", "consumer", "lag", "index", "query", "layout", "button", "timeout",
                     "deadlock", "memory", "leak", "cache", "python", "swift", "crash", "login", "oauth", "token", "upload", "export"]
        let day = 86_400.0
        let now = Date()
        for index in 1...count {
            let resolved = index % 3 != 0
            let title = (0..<6).map { words[(index * 7 + $0 * 13) % words.count] }.joined(separator: " ")
            let closed = now.addingTimeInterval(-90 * day + Double(index))
            jira.put(.init(key: "ED-\(index)", project: "ED", summary: "Ticket \(index): \(title)", description: "Details: \(title) \(title)",
                           assignee: resolved || index % 2 == 0 ? people[index % people.count] : nil, statusCategory: resolved ? "done" : "new",
                           created: now.addingTimeInterval(-100 * day), updated: closed, resolved: resolved ? closed : nil,
                           components: ["c\(index % 5)"], labels: ["l\(index % 7)"], storyPoints: Double(index % 5 + 1)))
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func check(_ result: CommandResult, _ what: String, expecting text: String? = nil) throws {
        guard result.status == 0 else { throw Failure(description: "\(what) exited \(result.status): \(result.stderr)") }
        if let text, !result.stdout.contains(text) {
            throw Failure(description: "\(what) did not report '\(text)':\n\(result.stdout)")
        }
    }

    static func log(_ message: String) {
        FileHandle.standardError.write(Data("jira bench: \(message)\n".utf8))
    }
}
