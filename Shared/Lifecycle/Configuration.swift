import Foundation

/// Every setting of a deployment: one JSON file, overridable by environment variables, validated at
/// start-up with an error naming the bad key.
///
/// Each key has a dotted path (`http.port`) in the file and an environment variable made from it
/// (`SMART_TICKET_HTTP_PORT`). Precedence: command-line flags, then environment, then file, then defaults.
public struct Configuration: Sendable, Equatable {
    public var runDir = "./run"
    public var dataDir = "./data"
    public var storageFile = "smart-ticket.sqlite"
    public var storageCommitWindowMicroseconds = 0
    public var httpHost = "127.0.0.1"
    public var httpPort = 8080
    public var logLevel = "info"
    public var storageInstances = 1
    public var skillsInstances = 1
    public var scoringInstances = 1
    public var rpcMaxFrameBytes = 4 << 20
    public var rpcConnectionsPerInstance = 1
    public var rpcTimeoutSeconds = 10.0
    public var shutdownGraceSeconds = 10.0
    public var restartMaxRestarts = 5
    public var restartWindowSeconds = 10.0
    public var restartInitialBackoffSeconds = 0.1
    public var restartMaxBackoffSeconds = 10.0
    public var startupTimeoutSeconds = 30.0
    public var modelBaseURL = ""
    public var modelName = "gpt-4o-mini"
    public var modelAPIKeyEnv = "OPENAI_API_KEY"
    public var modelAPIKeyFile = ""
    public var modelTimeoutSeconds = 10.0
    public var skillsCacheTTLSeconds = 7 * 86_400.0
    public var skillsVocabularyRefreshSeconds = 300.0
    public var jwtSecret = ""
    public var jwksFile = ""
    public var jwksAudience = ""
    public var jwksIssuer = ""
    public var maxTokenLifetimeSeconds = 30 * 86_400.0
    public var webhookSecret = ""
    public var jiraSyncIntervalSeconds = 300.0
    public var jiraBackfillMonths = 6
    public var jiraRetryBaseSeconds = 1.0
    public var maxImportBytes = 64 << 20
    public var maxConnectionsPerClient = 256
    public var trustedProxies: [String] = []

    public init() {}

    /// One key: its path, a description, and how to read and write it as text.
    struct Key: Sendable {
        let path: String
        let help: String
        let get: @Sendable (Configuration) -> String
        let set: @Sendable (inout Configuration, Any) throws(ConfigurationError) -> Void

        var environmentVariable: String {
            "SMART_TICKET_" + path.map { $0 == "." ? "_" : String($0) }.joined()
                .replacingOccurrences(of: "([a-z])([A-Z])", with: "$1_$2", options: .regularExpression).uppercased()
        }
    }

    /// The keys, in documentation order.
    static let keys: [Key] = [
        .string("runDir", "Directory for sockets and the launcher's state (mode 0700).", \.runDir),
        .string("dataDir", "Directory for the SQLite database.", \.dataDir),
        .string("storage.file", "Database file, relative to dataDir unless absolute.", \.storageFile),
        .int("storage.commitWindowMicroseconds",
             "Under a steady stream of writes, how long a commit waits for more writes to share its fsync (less CPU, more latency); 0: off.",
             \.storageCommitWindowMicroseconds, 0...100_000),
        .string("http.host", "Address the gateway listens on.", \.httpHost),
        .int("http.port", "TCP port of the gateway; 0 picks a free port.", \.httpPort, 0...65535),
        .string("logLevel", "trace, debug, info, notice, warning, error or critical.", \.logLevel,
                allowed: ["trace", "debug", "info", "notice", "warning", "error", "critical"]),
        .int("instances.storage", "Storage instances (1: SQLite has one writer).", \.storageInstances, 1...1),
        .int("instances.skills", "Skills detection instances.", \.skillsInstances, 1...16),
        .int("instances.scoring", "Scoring instances.", \.scoringInstances, 1...16),
        .int("rpc.maxFrameBytes", "Largest RPC frame accepted.", \.rpcMaxFrameBytes, 1024...(256 << 20)),
        .int("rpc.connectionsPerInstance", "Multiplexed client connections per service instance (more frames per wake-up with fewer).", \.rpcConnectionsPerInstance, 1...64),
        .double("rpc.timeoutSeconds", "Default deadline of internal calls.", \.rpcTimeoutSeconds, 0.001...3600),
        .double("shutdownGraceSeconds", "Time a stopping process gets before SIGKILL.", \.shutdownGraceSeconds, 0...600),
        .int("restart.maxRestarts", "Restarts of one child allowed within the window.", \.restartMaxRestarts, 0...1000),
        .double("restart.windowSeconds", "The restart-intensity window.", \.restartWindowSeconds, 0.1...3600),
        .double("restart.initialBackoffSeconds", "First delay before restarting a child.", \.restartInitialBackoffSeconds, 0...60),
        .double("restart.maxBackoffSeconds", "Longest delay before restarting a child.", \.restartMaxBackoffSeconds, 0...600),
        .double("startupTimeoutSeconds", "Time a child gets to report SERVING.", \.startupTimeoutSeconds, 1...600),
        .string("skills.model.baseURL", "OpenAI-compatible API base URL (for example https://api.openai.com/v1); empty: local detector only.",
                \.modelBaseURL, allowEmpty: true),
        .string("skills.model.name", "Model name sent to the provider.", \.modelName),
        .string("skills.model.apiKeyEnv", "Environment variable holding the provider's API key.", \.modelAPIKeyEnv),
        .string("skills.model.apiKeyFile", "File holding the provider's API key (wins over apiKeyEnv).", \.modelAPIKeyFile, allowEmpty: true),
        .double("skills.model.timeoutSeconds", "Time one model call may take (within the caller's deadline).", \.modelTimeoutSeconds, 0.1...120),
        .string("auth.jwtSecret", "HS256 key for SmartTicket tokens (SMART_TICKET_JWT_SECRET also works); empty: a random key kept in dataDir/jwt-secret.",
                \.jwtSecret, allowEmpty: true),
        .string("auth.jwksFile", "JWKS (JSON) for RS256 tokens such as Atlassian Forge invocation tokens.", \.jwksFile, allowEmpty: true),
        .string("auth.jwksAudience", "Required `aud` of RS256 tokens (the app id).", \.jwksAudience, allowEmpty: true),
        .string("auth.jwksIssuer", "Required `iss` of RS256 tokens, if any.", \.jwksIssuer, allowEmpty: true),
        .double("auth.maxTokenLifetimeSeconds",
                "Longest validity of a token (exp - iat, or exp - now without iat); longer ones are refused, and token create will not make them.",
                \.maxTokenLifetimeSeconds, 60...(366 * 86_400)),
        .string("jira.webhookSecret", "Deprecated: shared secret of Jira webhook signatures, accepted only for tenants without their own (set by `smart-ticket jira connect`), whose deliveries are then fetched from Jira instead of trusted.", \.webhookSecret, allowEmpty: true),
        .double("jira.syncIntervalSeconds", "Seconds between scheduled Jira syncs of every connected tenant; 0 turns the schedule off.",
                \.jiraSyncIntervalSeconds, 0...86_400),
        .int("jira.backfillMonths", "Months of resolved Jira tickets the first sync learns from.", \.jiraBackfillMonths, 1...120),
        .double("jira.retryBaseSeconds", "First backoff of a Jira call answered 429/503 without Retry-After (doubles per retry, with jitter).",
                \.jiraRetryBaseSeconds, 0.01...60),
        .int("http.maxImportBytes", "Largest JSONL body accepted by POST /api/v1/import.", \.maxImportBytes, 1024...(1 << 30)),
        .int("http.maxConnectionsPerClient", "Connections one client address may hold at once (trusted proxies are exempt).",
             \.maxConnectionsPerClient, 1...65_536),
        .double("skills.cacheTTLSeconds", "How long detected skills are cached by content hash.", \.skillsCacheTTLSeconds, 1...(90 * 86_400)),
        .double("skills.vocabularyRefreshSeconds",
                "A tenant's learned skill vocabulary is rebuilt from its resolved tickets when its data changed, at most this often.",
                \.skillsVocabularyRefreshSeconds, 0...86_400),
        Key(path: "http.trustedProxies",
            help: "Reverse proxies (IPv4 addresses or CIDRs; a JSON list, or comma-separated) whose X-Forwarded-For and X-Forwarded-Proto are believed.",
            get: { $0.trustedProxies.joined(separator: ",") },
            set: { (configuration, value) throws(ConfigurationError) in
                let entries = (value as? [Any])?.compactMap { $0 as? String }
                    ?? (value as? String)?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                guard let entries, (value as? [Any])?.count ?? entries.count == entries.count else {
                    throw ConfigurationError("`http.trustedProxies` must be a list of IPv4 addresses or CIDRs")
                }
                for entry in entries where !Configuration.isIPv4Network(entry) {
                    throw ConfigurationError("`http.trustedProxies`: '\(entry.prefix(64))' is not an IPv4 address or CIDR")
                }
                configuration.trustedProxies = entries
            }),
    ]

    /// Loads `file` (if given) over the defaults, then the environment over that.
    public static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> Configuration {
        var configuration = Configuration()
        if let file {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw ConfigurationError("cannot read configuration file \(file)")
            }
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: data)
            } catch {
                throw ConfigurationError("configuration file \(file) is not valid JSON")
            }
            guard let root = object as? [String: Any] else {
                throw ConfigurationError("configuration file \(file) must hold a JSON object")
            }
            try configuration.apply(root, prefix: "")
        }
        for key in keys {
            if let text = environment[key.environmentVariable] {
                do {
                    try key.set(&configuration, text)
                } catch {
                    throw ConfigurationError("environment variable \(key.environmentVariable): \(error.message)")
                }
            }
        }
        return configuration
    }

    /// Whether `text` is an IPv4 address (`10.0.0.1`) or network (`10.0.0.0/8`).
    public static func isIPv4Network(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return false }
        if parts.count == 2 { guard let bits = Int(parts[1]), (0...32).contains(bits), parts[1].count <= 2 else { return false } }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { $0.count <= 3 && !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } && UInt8($0) != nil }
    }

    /// The database file's full path.
    public var databasePath: String {
        storageFile.hasPrefix("/") ? storageFile : "\(dataDir)/\(storageFile)"
    }

    /// Sets the key at dotted `path` from text, as a command-line flag would.
    public mutating func set(_ path: String, _ text: String) throws(ConfigurationError) {
        guard let key = Configuration.keys.first(where: { $0.path == path }) else {
            throw ConfigurationError("unknown configuration key `\(path)`")
        }
        try key.set(&self, text)
    }

    /// A table of every key, its environment variable and its value, for `--help` and the README.
    public func describe() -> String {
        Configuration.keys.map { "\($0.path) (\($0.environmentVariable)) = \($0.get(self))\n    \($0.help)" }
            .joined(separator: "\n")
    }

    private mutating func apply(_ object: [String: Any], prefix: String) throws(ConfigurationError) {
        for name in object.keys.sorted() {
            let path = prefix.isEmpty ? name : "\(prefix).\(name)"
            let value = object[name]!
            if let nested = value as? [String: Any] {
                guard Configuration.keys.contains(where: { $0.path.hasPrefix(path + ".") }) else {
                    throw ConfigurationError("unknown configuration key `\(path)`")
                }
                try apply(nested, prefix: path)
                continue
            }
            guard let key = Configuration.keys.first(where: { $0.path == path }) else {
                throw ConfigurationError("unknown configuration key `\(path)`")
            }
            try key.set(&self, value)
        }
    }
}

/// A configuration problem, naming the key.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Configuration.Key {
    static func string(_ path: String, _ help: String, _ keyPath: WritableKeyPath<Configuration, String> & Sendable,
                       allowed: [String]? = nil, allowEmpty: Bool = false) -> Self {
        Self(path: path, help: help, get: { $0[keyPath: keyPath] }, set: { (configuration, value) throws(ConfigurationError) in
            guard let text = value as? String, allowEmpty || !text.isEmpty else {
                throw ConfigurationError("`\(path)` must be a non-empty string")
            }
            if let allowed, !allowed.contains(text) {
                throw ConfigurationError("`\(path)` must be one of \(allowed.joined(separator: ", ")), got '\(text)'")
            }
            configuration[keyPath: keyPath] = text
        })
    }

    static func int(_ path: String, _ help: String, _ keyPath: WritableKeyPath<Configuration, Int> & Sendable,
                    _ range: ClosedRange<Int>) -> Self {
        Self(path: path, help: help, get: { String($0[keyPath: keyPath]) }, set: { (configuration, value) throws(ConfigurationError) in
            let number: Int?
            switch value {
            case let text as String: number = Int(text)
            case let numeric as NSNumber: number = numeric.doubleValue == numeric.doubleValue.rounded() ? numeric.intValue : nil
            default: number = nil
            }
            guard let number else { throw ConfigurationError("`\(path)` must be an integer") }
            guard range.contains(number) else {
                throw ConfigurationError("`\(path)` must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
            }
            configuration[keyPath: keyPath] = number
        })
    }

    static func double(_ path: String, _ help: String, _ keyPath: WritableKeyPath<Configuration, Double> & Sendable,
                       _ range: ClosedRange<Double>) -> Self {
        Self(path: path, help: help, get: { String($0[keyPath: keyPath]) }, set: { (configuration, value) throws(ConfigurationError) in
            let number: Double?
            switch value {
            case let text as String: number = Double(text)
            case let numeric as NSNumber: number = numeric.doubleValue
            default: number = nil
            }
            guard let number, number.isFinite else { throw ConfigurationError("`\(path)` must be a number") }
            guard range.contains(number) else {
                throw ConfigurationError("`\(path)` must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
            }
            configuration[keyPath: keyPath] = number
        })
    }
}
