/// A command's options, parsed strictly: an unknown option or a missing value is an error, and
/// `--help` prints the usage.
public struct CommandSpec: Sendable {
    /// One `--name [VALUE]` option.
    public struct Option: Sendable {
        public var name: String
        /// The value's placeholder, or nil for a flag.
        public var value: String?
        public var help: String

        public init(_ name: String, value: String? = nil, help: String) {
            self.name = name
            self.value = value
            self.help = help
        }
    }

    /// The command as typed, for example `smart-ticket serve`.
    public var name: String
    public var summary: String
    public var options: [Option]
    /// Placeholders for positional arguments, for example `["FILE.jsonl"]`.
    public var positionals: [String]

    public init(name: String, summary: String, options: [Option], positionals: [String] = []) {
        self.name = name
        self.summary = summary
        self.options = options + [Option("help", help: "Show this help.")]
        self.positionals = positionals
    }

    /// The text printed by `--help`.
    public var usage: String {
        var text = "\(summary)\n\nUsage: \(name)"
        if !options.isEmpty { text += " [options]" }
        for positional in positionals { text += " \(positional)" }
        text += "\n\nOptions:\n"
        let labels = options.map { option in "  --\(option.name)" + (option.value.map { " \($0)" } ?? "") }
        let width = (labels.map(\.count).max() ?? 0) + 2
        for (label, option) in zip(labels, options) {
            text += label + String(repeating: " ", count: width - label.count) + option.help + "\n"
        }
        return text
    }

    /// Parses `arguments` of a command with a subcommand (`token create`, `skills detect`): the first argument must
    /// be the last word of `name`; anything else is a usage error that shows `synopsis` and where the options are.
    public func parse(subcommand arguments: [String], synopsis: String) throws(UsageError) -> ParsedArguments {
        let word = String(name.split(separator: " ").last ?? "")
        guard arguments.first == word else {
            if ["--help", "-h", "help"].contains(arguments.first ?? "") { throw UsageError(message: usage, isHelp: true) }
            throw UsageError(message: "usage: \(name) \(synopsis)\nRun '\(name) --help' for every option.")
        }
        return try parse(Array(arguments.dropFirst()))
    }

    /// Parses `arguments` (without the command name).
    public func parse(_ arguments: [String]) throws(UsageError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--"), argument.count > 2 else {
                parsed.positionals.append(argument)
                continue
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if name == "help" { throw UsageError(message: usage, isHelp: true) }
            guard let option = options.first(where: { $0.name == name }) else {
                throw UsageError(message: "\(self.name): unknown option --\(name)\nRun '\(self.name) --help' for usage.")
            }
            if option.value == nil {
                guard inlineValue == nil else { throw UsageError(message: "\(self.name): --\(name) takes no value") }
                parsed.flags.insert(name)
            } else if let inlineValue {
                parsed.values[name] = inlineValue
            } else {
                guard index < arguments.count else {
                    throw UsageError(message: "\(self.name): --\(name) needs a value (\(option.value!))")
                }
                parsed.values[name] = arguments[index]
                index += 1
            }
        }
        if parsed.positionals.count > positionals.count {
            throw UsageError(message: "\(self.name): unexpected argument '\(parsed.positionals[positionals.count])'\nRun '\(self.name) --help' for usage.")
        }
        return parsed
    }
}

/// What the command line said.
public struct ParsedArguments: Sendable {
    public var values: [String: String] = [:]
    public var flags: Set<String> = []
    public var positionals: [String] = []

    public init() {}

    /// The value of `--name`, if given.
    public subscript(_ name: String) -> String? { values[name] }

    /// Whether the flag `--name` was given.
    public func has(_ name: String) -> Bool { flags.contains(name) }

    /// The value of `--name` as an integer, or a usage error naming the option.
    public func int(_ name: String) throws(UsageError) -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text) else { throw UsageError(message: "--\(name) must be an integer, got '\(text)'") }
        return value
    }

    /// The value of `--name`, or a usage error saying it is required.
    public func require(_ name: String) throws(UsageError) -> String {
        guard let value = values[name], !value.isEmpty else { throw UsageError(message: "--\(name) is required") }
        return value
    }
}

/// A command-line mistake, or a request for help (printed to standard output, exit 0).
public struct UsageError: Error, CustomStringConvertible {
    public var message: String
    public var isHelp: Bool

    public init(message: String, isHelp: Bool = false) {
        self.message = message
        self.isHelp = isHelp
    }

    public var description: String { message }
}
