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
        if let redirect = words.firstIndex(of: "<"), redirect + 1 < words.count {
            input = words[redirect + 1]
            words.removeSubrange(redirect...)
        }
        return Exec(container: words[flag + 1], arguments: Array(words[(dashes + 1)...]), input: input)
    }

    /// The `kubectl exec` lines of the README's "### In Kubernetes" part of "## First token and first import".
    static func readmeCommands() throws -> [Exec] {
        let text = try DeployTests.read("README.md")
        let section = try #require(text.components(separatedBy: "\n## First token and first import\n").dropFirst().first?
            .components(separatedBy: "\n## ").first?.components(separatedBy: "\n### In Kubernetes").dropFirst().first)
        return section.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("kubectl exec") }
            .compactMap(parse)
    }

    @Test func theParserSplitsLikeAShell() {
        #expect(Self.parse("kubectl exec -i deploy/smart-ticket -c storage -- sh -c 'cat > /data/h.jsonl' < h.jsonl")
                == Exec(container: "storage", arguments: ["sh", "-c", "cat > /data/h.jsonl"], input: "h.jsonl"))
    }

    @Test func theFirstTokenAndTheImportWorkInThePod() async throws {
        let commands = try Self.readmeCommands()
        #expect(commands.count == 4, "token create, copy in, import, remove: \(commands)")
        let key = "readme-commands-signing-key-0123456789"
        let pod = try await LocalPod(manifest: "\(DeployTests.deploy)/kubernetes/smart-ticket.yaml", secrets: ["smart-ticket/jwt-secret": key])
        defer { pod.stop() }
        #expect(try await pod.waitReady() == "200")
        let document = try String(contentsOfFile: "\(DeployTests.deploy)/../docs/ticket-history.md", encoding: .utf8)
        let example = try #require(document.components(separatedBy: "```jsonl\n").dropFirst().first?.components(separatedBy: "\n```").first)
        let history = pod.directory.file("history-on-the-operators-machine.jsonl")
        try (example + "\n").write(toFile: history, atomically: true, encoding: .utf8)

        var token = ""
        for command in commands {
            let container = try #require(pod.containers.first { $0["name"] as? String == command.container }, "\(command.container)")
            var environment: [String: String] = [:]
            for (name, value) in container["env"] as? [String: String] ?? [:] {
                environment[name] = value == "secret:smart-ticket/jwt-secret" ? key : pod.local(value)
            }
            // The manifest's paths as the local pod has them, inside `sh -c` scripts too.
            let arguments = command.arguments.map { argument in argument.split(separator: " ").map { pod.local(String($0)) }.joined(separator: " ") }
            var script = arguments.map { "'\($0)'" }.joined(separator: " ")
            if command.input != nil { script += " < '\(history)'" }
            let started = Date()
            let result = try await ProcessRunner.run("/bin/sh", ["-c", script], environment: environment)
            #expect(result.status == 0, "\(command.arguments.joined(separator: " ")): \(result.stderr)")
            // With no launcher in the pod, import does not wait out a timeout asking one for the instances (it took 10 s).
            #expect(Date().timeIntervalSince(started) < 5, "\(command.arguments.joined(separator: " ")) took \(Date().timeIntervalSince(started)) s")
            if command.arguments.contains("token") { token = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
            if command.arguments.contains("import") {
                #expect(result.stdout.hasPrefix("new: 7, updated: 0, unchanged: 0, rejected: 0, warnings: 0"), "\(result.stdout)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: pod.directory.file("data/history.jsonl")), "the copy was removed")
        // The token is the tenant's admin token, and the tickets are there.
        let ticket = try await DeployTests.tool(["curl", "-s", "-w", "\n%{http_code}", "-H", "Authorization: Bearer \(token)",
                                                 "http://127.0.0.1:\(pod.port)/api/v1/tickets/WEB-101"])
        #expect(ticket.stdout.hasSuffix("\n200") && ticket.stdout.contains("Login page shows a blank screen"), "\(ticket.stdout)")
    }
}
