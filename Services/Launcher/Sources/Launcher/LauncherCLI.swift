import Foundation
import Lifecycle

/// `smart-ticket`: the launcher and the operator's command line.
public enum LauncherCLI {
    static let commands: [(name: String, summary: String)] = [
        ("serve", "Start every service under supervision and print the URL."),
        ("status", "Show each service instance's health, pid, uptime and restarts."),
        ("import", "Import a ticket history (JSONL) into the running system."),
        ("token", "Create API tokens: token create --tenant T --subject S --role admin."),
        ("replay", "Replay a ticket history and report recommendation accuracy."),
        ("whatif", "Replay a ticket history with several factor weight sets and compare them side by side."),
        ("skills", "Detect the skills a ticket needs: skills detect --title T [--description D]."),
        ("jira", "Connect a tenant to Jira Cloud (jira connect) and sync it (jira sync)."),
        ("backup", "Copy the running system's database to a file (online, verified)."),
        ("restore", "Replace a stopped system's database with a backup file (verified, atomic)."),
        ("probe", "Ask one service instance for its health over its socket (container probes)."),
    ]

    static var usage: String {
        var text = "SmartTicket: smart ticket assignment, self-hosted.\n\nUsage: smart-ticket COMMAND [options]\n\nCommands:\n"
        for command in commands {
            text += "  " + command.name.padding(toLength: 10, withPad: " ", startingAt: 0) + command.summary + "\n"
        }
        text += "\nRun 'smart-ticket COMMAND --help' for a command's options.\n"
        return text
    }

    /// Runs the command in `arguments` (without the program name) and returns the exit code.
    public static func run(_ arguments: [String]) async -> Int32 {
        guard let command = arguments.first else {
            FileHandle.standardError.write(Data(usage.utf8))
            return 2
        }
        let rest = Array(arguments.dropFirst())
        do {
            switch command {
            case "serve": return try await ServeCommand.run(rest)
            case "status": return try await StatusCommand.run(rest)
            case "import": return try await ImportCommand.run(rest)
            case "token": return try await TokenCommand.run(rest)
            case "replay": return try await ReplayCommand.run(rest)
            case "whatif": return try await WhatIfCommand.run(rest)
            case "skills": return try await SkillsCommand.run(rest)
            case "jira": return try await JiraCommand.run(rest)
            case "backup": return try await BackupCommand.run(rest)
            case "restore": return try await RestoreCommand.run(rest)
            case "probe": return try await ProbeCommand.run(rest)
            case "--help", "-h", "help":
                print(usage, terminator: "")
                return 0
            default:
                FileHandle.standardError.write(Data("smart-ticket: unknown command '\(command)'\n\n\(usage)".utf8))
                return 2
            }
        } catch let error as UsageError {
            if error.isHelp {
                print(error.message, terminator: "")
                return 0
            }
            FileHandle.standardError.write(Data("\(error.message)\n".utf8))
            return 2
        } catch {
            FileHandle.standardError.write(Data("smart-ticket \(command): \(error)\n".utf8))
            return 1
        }
    }
}
