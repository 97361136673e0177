import Foundation

/// A program made of commands (`smart-ticket serve`, `smart-ticket-bench rpc`): picks the command named by the first
/// argument, prints the usage for `--help`, and turns what a command throws into the message and exit code a user
/// sees: help on standard output (0), a usage mistake on standard error (2), any other failure named after the
/// command (1).
public struct CommandProgram: Sendable {
    /// The program as typed, for example `smart-ticket`.
    public let name: String
    /// Printed by `--help`, and on standard error when no command is given.
    public let usage: String
    /// What the commands are called in messages (`command`, `suite`).
    public let noun: String

    public init(name: String, usage: String, noun: String = "command") {
        self.name = name
        self.usage = usage
        self.noun = noun
    }

    /// Runs `arguments` (without the program name); `command` runs one command with the rest of the arguments and
    /// returns its exit code, or nil when there is no such command.
    public func run(_ arguments: [String], _ command: (String, [String]) async throws -> Int32?) async -> Int32 {
        guard let first = arguments.first else {
            FileHandle.standardError.write(Data(usage.utf8))
            return 2
        }
        if ["--help", "-h", "help"].contains(first) {
            print(usage, terminator: "")
            return 0
        }
        do {
            if let code = try await command(first, Array(arguments.dropFirst())) { return code }
            FileHandle.standardError.write(Data("\(name): unknown \(noun) '\(first)'\n\n\(usage)".utf8))
            return 2
        } catch let error as UsageError {
            if error.isHelp {
                print(error.message, terminator: "")
                return 0
            }
            FileHandle.standardError.write(Data("\(error.message)\n".utf8))
            return 2
        } catch {
            FileHandle.standardError.write(Data("\(name) \(first): \(error)\n".utf8))
            return 1
        }
    }
}
