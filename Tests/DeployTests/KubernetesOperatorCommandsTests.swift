import Foundation
import Harness
import Testing

/// The `kubectl exec` commands deploy/README.md gives for a new tenant in Kubernetes (the first token, an import with
/// the CLI in the pod) work as written: each runs, with its container's environment and the manifest's paths, against
/// the pod of `kubernetes/smart-ticket.yaml` run locally (``LocalPod``), the file being the example of
/// docs/ticket-history.md.
@Suite struct KubernetesOperatorCommandsTests {
    /// One `kubectl exec [-i] deploy/smart-ticket -c CONTAINER -- ARGUMENTS [< FILE]`.
    struct Exec: Equatable {
        var container: String
        var arguments: [String]
        var input: String?
        var output: String?
    }

    /// The words of `line` as a shell splits them (single quotes only: the README's lines use no other).
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        var any = false
        for character in line {
            if character == "'" {
                quoted.toggle()
                any = true
            } else if character == " " && !quoted {
                if any { words.append(current) }
                current = ""
                any = false
            } else {
                current.append(character)
                any = true
            }
        }
        if any { words.append(current) }
        return words
    }

    static func parse(_ line: String) -> Exec? {
        var words = words(line)
        guard words.starts(with: ["kubectl", "exec"]), let dashes = words.firstIndex(of: "--"),
              let flag = words.firstIndex(of: "-c"), flag + 1 < dashes else { return nil }
        var input: String?
        var output: String?
        if let redirect = words.firstIndex(where: { $0 == "<" || $0 == ">" }), redirect + 1 < words.count {
            if words[redirect] == "<" { input = words[redirect + 1] } else { output = words[redirect + 1] }
            words.removeSubrange(redirect...)
        }
        return Exec(container: words[flag + 1], arguments: Array(words[(dashes + 1)...]), input: input, output: output)
    }

    /// The text of deploy/README.md from the heading `start` to the next heading of its level or above.
    static func section(_ start: String) throws -> String {
        let text = try DeployTests.read("README.md")
        let level = start.prefix { $0 == "#" }.count
        var after = try #require(text.components(separatedBy: "\n\(start)").dropFirst().first, "deploy/README.md has \(start)")
        for depth in 1...level {
            after = after.components(separatedBy: "\n" + String(repeating: "#", count: depth) + " ").first ?? after
        }
        return after
    }

    /// The `kubectl exec` commands of a section.
    static func execs(_ section: String) -> [Exec] {
        section.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("kubectl exec") }.compactMap(parse)
    }

    /// Runs `command` as `kubectl exec` would in `pod`: the container's environment, the manifest's paths as the local
    /// pod has them (inside `sh -c` scripts too), `input` and `output` for the redirections.
    static func run(_ command: Exec, in pod: LocalPod, secrets: [String: String], input: String? = nil, output: String? = nil) async throws -> CommandResult {
        let container = try #require(pod.containers.first { $0["name"] as? String == command.container }, "\(command.container)")
        var environment: [String: String] = [:]
        for (name, value) in container["env"] as? [String: String] ?? [:] {
            environment[name] = value.hasPrefix("secret:") ? secrets[String(value.dropFirst("secret:".count))] : pod.local(value)
        }
        let arguments = command.arguments.map { argument in argument.split(separator: " ").map { pod.local(String($0)) }.joined(separator: " ") }
        var script = arguments.map { "'\($0)'" }.joined(separator: " ")
        if command.input != nil, let input { script += " < '\(input)'" }
        if command.output != nil, let output { script += " > '\(output)'" }
        return try await ProcessRunner.run("/bin/sh", ["-c", script], environment: environment)
    }

    @Test func theParserSplitsLikeAShell() {
        #expect(Self.parse("kubectl exec -i deploy/smart-ticket -c storage -- sh -c 'cat > /data/h.jsonl' < h.jsonl")
                == Exec(container: "storage", arguments: ["sh", "-c", "cat > /data/h.jsonl"], input: "h.jsonl"))
        #expect(Self.parse("kubectl exec deploy/smart-ticket -c storage -- cat /data/b.sqlite > b.sqlite")
                == Exec(container: "storage", arguments: ["cat", "/data/b.sqlite"], output: "b.sqlite"))
    }

    @Test func theFirstTokenAndTheImportWorkInThePod() async throws {
        let commands = Self.execs(try Self.section("### In Kubernetes"))
        #expect(commands.count == 2, "token create, import from standard input: \(commands)")
        let key = "readme-commands-signing-key-0123456789"
        let secrets = ["smart-ticket/jwt-secret": key]
        let pod = try await LocalPod(manifest: "\(DeployTests.deploy)/kubernetes/smart-ticket.yaml", secrets: secrets)
        defer { pod.stop() }
        #expect(try await pod.waitReady() == "200")
        let document = try String(contentsOfFile: "\(DeployTests.deploy)/../docs/ticket-history.md", encoding: .utf8)
        let example = try #require(document.components(separatedBy: "```jsonl\n").dropFirst().first?.components(separatedBy: "\n```").first)
        let history = pod.directory.file("history-on-the-operators-machine.jsonl")
        try (example + "\n").write(toFile: history, atomically: true, encoding: .utf8)

        var token = ""
        for command in commands {
            let started = Date()
            let result = try await Self.run(command, in: pod, secrets: secrets, input: history)
            #expect(result.status == 0, "\(command.arguments.joined(separator: " ")): \(result.stderr)")
            // With no launcher in the pod, import does not wait out a timeout asking one for the instances (it took 10 s).
            #expect(Date().timeIntervalSince(started) < 5, "\(command.arguments.joined(separator: " ")) took \(Date().timeIntervalSince(started)) s")
            if command.arguments.contains("token") { token = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
            if command.arguments.contains("import") {
                #expect(result.stdout.hasPrefix("new: 7, updated: 0, unchanged: 0, rejected: 0, warnings: 0"), "\(result.stdout)")
            }
        }
        // The token is the tenant's admin token, and the tickets are there.
        let ticket = try await DeployTests.tool(["curl", "-s", "-w", "\n%{http_code}", "-H", "Authorization: Bearer \(token)",
                                                 "http://127.0.0.1:\(pod.port)/api/v1/tickets/WEB-101"])
        #expect(ticket.stdout.hasSuffix("\n200") && ticket.stdout.contains("Login page shows a blank screen"), "\(ticket.stdout)")
    }

    /// The upgrade's backup commands for one pod work, and so does the restore pod's command on what they made once
    /// the pod is stopped (the Deployment scaled to 0).
    @Test func theUpgradeBackupAndTheRestorePodWork() async throws {
        let section = try Self.section("### Kubernetes, one pod")
        let commands = Self.execs(section)
        #expect(commands.count == 3, "mkdir, backup, copy off: \(commands)")
        let secrets = ["smart-ticket/jwt-secret": "readme-upgrade-signing-key-0123456789"]
        let pod = try await LocalPod(manifest: "\(DeployTests.deploy)/kubernetes/smart-ticket.yaml", secrets: secrets)
        defer { pod.stop() }
        #expect(try await pod.waitReady() == "200")
        let copy = pod.directory.file("copy-off-the-cluster.sqlite")
        for command in commands {
            let result = try await Self.run(command, in: pod, secrets: secrets, output: copy)
            #expect(result.status == 0, "\(command.arguments.joined(separator: " ")): \(result.stderr)")
        }
        let header = try #require(FileManager.default.contents(atPath: copy)).prefix(15)
        #expect(String(decoding: header, as: UTF8.self) == "SQLite format 3", "the copy off the cluster is the database")

        // Scaled to 0, then the restore pod: its container's command and environment as the README's manifest gives them.
        for process in pod.processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for process in pod.processes { process.waitUntilExit() }
        let manifest = try #require(section.components(separatedBy: "<<'EOF'\n").dropFirst().first?.components(separatedBy: "\n    EOF").first)
        let line = try #require(manifest.split(separator: "\n").first { $0.contains("command: [") })
        let command = try #require(try JSONSerialization.jsonObject(with: Data(line.drop { $0 != "[" }.utf8)) as? [String])
        #expect(manifest.contains("claimName: smart-ticket-data") && manifest.contains("mountPath: /data}"), "the data volume at /data")
        #expect(manifest.contains("runAsUser: 10001"), "the pod's user")
        let restore = Exec(container: "restore", arguments: command.map { pod.local($0) }, input: nil, output: nil)
        let result = try await ProcessRunner.run(restore.arguments[0], Array(restore.arguments.dropFirst()),
                                                 environment: ["SMART_TICKET_JWT_SECRET": secrets["smart-ticket/jwt-secret"]!])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("restored \(pod.local("/data/backups/before-upgrade.sqlite")) into \(pod.local("/data/smart-ticket.sqlite"))"),
                "\(result.stdout)")
        #expect(!result.stdout.contains("warning"), "the key from the Secret: no warning about jwt-secret")
    }
}
