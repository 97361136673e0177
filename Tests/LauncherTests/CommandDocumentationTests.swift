import Foundation
import Lifecycle
import Testing
@testable import Launcher

/// The documents an operator or a new team follows name only real things: every `smart-ticket COMMAND` they show
/// is a command, with options that command takes, and every `docs/...md` the help texts point to exists.
@Suite struct CommandDocumentationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Each command's option sets by the word that follows it (`token create`, `jira connect`); "" when it takes
    /// none. Its keys are checked against the launcher's own command list, so a new command must be added here.
    static let specs: [String: [String: CommandSpec]] = [
        "serve": ["": ServeCommand.spec], "status": ["": StatusCommand.spec], "import": ["": ImportCommand.spec],
        "token": ["create": TokenCommand.spec, "list": TokenCommand.listSpec, "revoke": TokenCommand.revokeSpec], "replay": ["": ReplayCommand.spec], "whatif": ["": WhatIfCommand.spec],
        "skills": ["detect": SkillsCommand.spec], "jira": ["connect": JiraCommand.connectSpec, "sync": JiraCommand.syncSpec],
        "backup": ["": BackupCommand.spec], "restore": ["": RestoreCommand.spec], "probe": ["": ProbeCommand.spec],
    ]

    /// The documents whose command lines are checked.
    static let documents = ["deploy/README.md", "docs/ticket-history.md", "docs/evaluation.md", "README.md"]

    @Test func theListCoversEveryCommand() {
        #expect(Set(Self.specs.keys) == Set(LauncherCLI.commands.map(\.name)))
    }

    @Test func everyDocumentTheHelpTextsNameExists() {
        var texts = [LauncherCLI.usage, JiraCommand.usage]
        for forms in Self.specs.values { texts += forms.values.map(\.usage) }
        let paths = Set(texts.flatMap { $0.matches(of: /docs\/[A-Za-z0-9_.\/-]+\.md/).map { String($0.output) } })
        #expect(paths.contains("docs/evaluation.md"))
        for path in paths.sorted() {
            #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(path).path), "\(path) is named by a --help text")
        }
    }

    /// The text that may hold commands: code lines (indented four spaces, or in a fenced block; a line ending in `\`
    /// continues on the next) and `inline code` spans.
    static func commandTexts(_ markdown: String) -> [String] {
        var texts: [String] = []
        var fenced = false
        var pending = ""
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") {
                fenced.toggle()
                continue
            }
            if fenced || line.hasPrefix("    ") {
                let code = pending + line
                if code.hasSuffix("\\") {
                    pending = String(code.dropLast()) + " "
                } else {
                    texts.append(code)
                    pending = ""
                }
                continue
            }
            texts += line.matches(of: /`([^`]+)`/).map { String($0.output.1) }
        }
        return texts
    }

    /// Every `smart-ticket WORD ...` in `text`: the command, the form word if any, the options up to the end of the
    /// command (a pipe, `;`, `&&`, a redirection or a comment).
    static func commands(in text: String) -> [(command: String, words: [String])] {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"',[]")) }
        var found: [(String, [String])] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            guard token == "smart-ticket" || token.hasSuffix("/smart-ticket"), index < tokens.count,
                  tokens[index].wholeMatch(of: /[a-z]+/) != nil else { continue }
            let command = tokens[index]
            var words: [String] = []
            index += 1
            while index < tokens.count, !["|", "||", ";", "&&", "&", ">", "2>", "<"].contains(tokens[index]), !tokens[index].hasPrefix("#") {
                words.append(tokens[index])
                index += 1
            }
            found.append((command, words))
        }
        return found
    }

    @Test func everyCommandInTheDocumentsIsRealWithItsOwnOptions() throws {
        var named = Set<String>()
        for document in Self.documents {
            let markdown = try String(contentsOf: Self.root.appendingPathComponent(document), encoding: .utf8)
            for text in Self.commandTexts(markdown) {
                for (command, words) in Self.commands(in: text) {
                    guard let forms = Self.specs[command] else {
                        Issue.record("\(document): `smart-ticket \(command)` is not a command: \(text)")
                        continue
                    }
                    named.insert(command)
                    let form = words.first.flatMap { forms[$0] != nil ? $0 : nil } ?? ""
                    guard let spec = forms[form] ?? (forms.count == 1 ? forms.values.first : nil) else {
                        // `smart-ticket jira` alone, in prose.
                        continue
                    }
                    let options = Set(spec.options.map(\.name))
                    for word in words where word.hasPrefix("--") {
                        let name = String(word.dropFirst(2).prefix { $0 != "=" })
                        #expect(options.contains(name), "\(document): `smart-ticket \(command)` has no option --\(name): \(text)")
                    }
                }
            }
        }
        // The operator's guide covers the first token, an import, backups and restores.
        for command in ["token", "import", "backup", "restore", "status"] {
            #expect(named.contains(command), "no document shows `smart-ticket \(command)`")
        }
    }

    @Test func theCommandFinderReadsShellAndManifestLines() {
        let shell = Self.commands(in: "kubectl exec deploy/smart-ticket -c storage -- /opt/smart-ticket/bin/smart-ticket backup --run-dir /run/smart-ticket --output /data/b.sqlite | tee x")
        #expect(shell.count == 1 && shell[0].command == "backup" && shell[0].words == ["--run-dir", "/run/smart-ticket", "--output", "/data/b.sqlite"])
        let yaml = Self.commands(in: #"command: ["/opt/smart-ticket/bin/smart-ticket", "restore", "--data-dir", "/data"]"#)
        #expect(yaml.count == 1 && yaml[0].command == "restore" && yaml[0].words == ["--data-dir", "/data"])
        #expect(Self.commands(in: "sudo -u smart-ticket smart-ticket token create --tenant acme").map(\.command) == ["token"])
        #expect(Self.commands(in: "systemctl stop smart-ticket").isEmpty)
        let texts = Self.commandTexts("a `smart-ticket import --tenant T` b\n\n    smart-ticket whatif \\\n        --weights x=1\n")
        #expect(texts.first == "smart-ticket import --tenant T")
        #expect(texts.contains { $0.contains("smart-ticket whatif ") && $0.hasSuffix(" --weights x=1") }, "\(texts)")
    }
}
