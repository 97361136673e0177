import Foundation
import Lifecycle

/// `smart-ticket`: the launcher and the operator's command line.
public enum LauncherCLI {
    static let commands: [(name: String, summary: String)] = [
        ("serve", "Start every service under supervision and print the URL."),
        ("status", "Show each service instance's health, pid, uptime and restarts."),
        ("import", "Import a ticket history (JSONL) into the running system."),
        ("token", "Create, list and revoke API tokens: token create --tenant T --subject S --role admin; token list; token revoke --id ID."),
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
        await CommandProgram(name: "smart-ticket", usage: usage).run(arguments) { command, rest in
            switch command {
            case "serve": try await ServeCommand.run(rest)
            case "status": try await StatusCommand.run(rest)
            case "import": try await ImportCommand.run(rest)
            case "token": try await TokenCommand.run(rest)
            case "replay": try await ReplayCommand.run(rest)
            case "whatif": try await WhatIfCommand.run(rest)
            case "skills": try await SkillsCommand.run(rest)
            case "jira": try await JiraCommand.run(rest)
            case "backup": try await BackupCommand.run(rest)
            case "restore": try await RestoreCommand.run(rest)
            case "probe": try await ProbeCommand.run(rest)
            default: nil
            }
        }
    }
}
