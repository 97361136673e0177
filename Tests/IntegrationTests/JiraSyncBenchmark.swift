import Contracts
import Foundation
import RPC
import Testing
import TestSupport

/// On demand only (a measurement, not a check of the suite): a backfill and an incremental sync of N
/// tickets through the real executables against the fake Jira, printing tickets per second.
///
///     swift build --build-tests && swift build -c release     # the system in release, the fake in the test
///     SMART_TICKET_BIN_DIR=$PWD/.build/release SMART_TICKET_JIRA_BENCH_TICKETS=5000 \
///         swift test --skip-build --filter JiraSyncBenchmark
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["SMART_TICKET_JIRA_BENCH_TICKETS"] != nil))
struct JiraSyncBenchmark {
    @Test func backfillAndIncrementalThroughput() async throws {
        let count = Int(ProcessInfo.processInfo.environment["SMART_TICKET_JIRA_BENCH_TICKETS"] ?? "") ?? 2000
        let jira = try FakeJira(email: "bot@example.com", token: JiraIntegrationTests.token)
        defer { jira.stop() }
        jira.maxPageSize = 100
        jira.addProject("ED", name: "Example")
        let people = (0..<40).map { "acc-\($0)" }
        for person in people { jira.addUser(person, "Person \(person)", assignableIn: ["ED"]) }
        let words = ["postgres", "replica", "react", "css", "kafka", "consumer", "lag", "index", "query", "layout", "button", "timeout",
                     "deadlock", "memory", "leak", "cache", "python", "swift", "crash", "login", "oauth", "token", "upload", "export"]
        for index in 1...count {
            let resolved = index % 3 != 0
            let title = (0..<6).map { words[(index * 7 + $0 * 13) % words.count] }.joined(separator: " ")
            jira.put(.init(key: "ED-\(index)", project: "ED", summary: "Ticket \(index): \(title)", description: "Details: \(title) \(title)",
                           assignee: resolved || index % 2 == 0 ? people[index % people.count] : nil, statusCategory: resolved ? "done" : "new",
                           created: JiraIntegrationTests.days(100), updated: JiraIntegrationTests.days(90).addingTimeInterval(Double(index)),
                           resolved: resolved ? JiraIntegrationTests.days(90).addingTimeInterval(Double(index)) : nil,
                           components: ["c\(index % 5)"], labels: ["l\(index % 7)"], storyPoints: Double(index % 5 + 1)))
        }
        var environment = JiraIntegrationTests.environment
        environment["SMART_TICKET_LOG_LEVEL"] = "warning"
        let system = try await RunningSystem(environment: environment)
        defer { system.directory.remove() }
        let tokenFile = system.directory.file("jira-token")
        FileManager.default.createFile(atPath: tokenFile, contents: Data(JiraIntegrationTests.token.utf8), attributes: [.posixPermissions: 0o600])
        let connected = try await ProcessRunner.run(Executables.path("smart-ticket"), [
            "jira", "connect", "--run-dir", system.runDirectory.path, "--tenant", "bench", "--site", jira.baseURL,
            "--email", "bot@example.com", "--token-file", tokenFile, "--projects", "ED"])
        #expect(connected.status == 0, "\(connected.stderr)")
        let sync = { try await ProcessRunner.run(Executables.path("smart-ticket"), ["jira", "sync", "--run-dir", system.runDirectory.path,
                                                                                     "--tenant", "bench", "--quiet"]) }
        let started = Date()
        let backfill = try await sync()
        let backfillSeconds = Date().timeIntervalSince(started)
        #expect(backfill.stdout.contains("tickets: \(count) seen, \(count) new"), "\(backfill.stdout)")
        for index in stride(from: 1, through: count, by: 10) { jira.update("ED-\(index)") { $0.summary += " (edited)" } }
        let again = Date()
        let incremental = try await sync()
        let incrementalSeconds = Date().timeIntervalSince(again)
        let changed = (count + 9) / 10
        #expect(incremental.stdout.contains("\(changed) updated"), "\(incremental.stdout)")
        print("jira sync benchmark: \(count) tickets backfilled in \(String(format: "%.2f", backfillSeconds)) s "
              + "(\(Int(Double(count) / backfillSeconds)) tickets/s, \(jira.requests.count) Jira requests so far); "
              + "incremental of \(changed) changed tickets in \(String(format: "%.2f", incrementalSeconds)) s")
        print(backfill.stdout)
        print(incremental.stdout)
        #expect(await system.stop() == 0)
    }
}
