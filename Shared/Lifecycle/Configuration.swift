import Foundation

/// Every setting of a deployment: one JSON file, overridable by environment variables, validated at
/// start-up with an error naming the bad key.
///
/// Lifecycle holds the mechanism and the keys it uses itself: the directories, the log level, instance
/// counts, RPC limits and supervision. Every other key belongs to a ``ConfigurationSection`` declared by the
/// service that reads it (`GatewaySettings`, `StorageSettings`, `SkillsSettings`), registered at load and
/// read with `configuration[GatewaySettings.self]`.
///
/// Each key has a dotted path (`http.port`) in the file and an environment variable made from it
/// (`SMART_TICKET_HTTP_PORT`). Precedence: command-line flags, then environment, then file, then defaults.
public struct Configuration: Sendable, Equatable {
    public var runDir = "./run"
    public var dataDir = "./data"
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
    public var healthIntervalSeconds = 5.0
    public var healthFailures = 3

    /// The registered sections, with their values.
    private var sections: Sections

    /// The defaults: Lifecycle's and those of `sections`, which become readable with the subscript.
    public init(sections: [any ConfigurationSection.Type] = []) {
        self.sections = Sections(sections)
    }

    /// Which keys of a configuration file a load refuses as unknown.
    public enum UnknownKeys: Sendable {
        /// Every key that neither Lifecycle nor a registered section declares. For the launcher and the
        /// command line, which register every section.
        case reject
        /// Only the unknown keys under a first path component that Lifecycle or a registered section owns
        /// (a storage process refuses `storage.fil` and ignores `http.port`, the gateway's). For a service
        /// process, which registers only its own sections but gets the launcher's whole file.
        case rejectInRegisteredSections
    }

    /// Lifecycle's own keys, in documentation order.
    static let lifecycleKeys: [ConfigurationKey<Configuration>] = [
        .string("runDir", "Directory for sockets and the launcher's state (mode 0700).", \.runDir),
        .string("dataDir", "Directory for the SQLite database.", \.dataDir),
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
        .double("health.intervalSeconds",
                "How often the launcher asks each running child for its health; one that does not answer `health.failures` times in a row (hung, paused, deadlocked) is killed and restarted. 0: never.",
                \.healthIntervalSeconds, 0...3600),
        .int("health.failures", "Unanswered health checks in a row after which a child is restarted.", \.healthFailures, 1...100),
    ]

    /// Every key this configuration knows: Lifecycle's, then each section's in the order of registration.
    public var keys: [ConfigurationKey<Configuration>] {
        Configuration.lifecycleKeys + sections.types.flatMap { $0.configurationKeys }
    }

    /// The section of type `Section`. It must have been registered when the configuration was loaded (or
    /// made): reading or writing another one is a programming error and stops the process.
    public subscript<Section: ConfigurationSection>(_ type: Section.Type) -> Section {
        get {
            guard let section = sections.values[ObjectIdentifier(type)] as? Section else { Sections.notRegistered(type) }
            return section
        }
        set {
            guard sections.values[ObjectIdentifier(type)] != nil else { Sections.notRegistered(type) }
            sections.values[ObjectIdentifier(type)] = newValue
        }
    }

    /// Whether `type` was registered.
    public func contains(_ type: any ConfigurationSection.Type) -> Bool {
        sections.values[ObjectIdentifier(type)] != nil
    }

    /// Loads `file` (if given) over the defaults of Lifecycle and `sections`, then the environment over that.
    public static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                            sections: [any ConfigurationSection.Type],
                            unknownKeys: UnknownKeys = .reject) throws(ConfigurationError) -> Configuration {
        var configuration = Configuration(sections: sections)
        let keys = configuration.keys
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
            // Another service's keys: not this process's to judge (its launcher registered every section and did).
            let owned = Set(keys.map { String($0.firstComponent) })
            let checked = unknownKeys == .reject ? root : root.filter { owned.contains($0.key) }
            try configuration.apply(checked, prefix: "", keys: keys)
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

    /// Sets the key at dotted `path` from text, as a command-line flag would.
    public mutating func set(_ path: String, _ text: String) throws(ConfigurationError) {
        guard let key = keys.first(where: { $0.path == path }) else {
            throw ConfigurationError("unknown configuration key `\(path)`")
        }
        try key.set(&self, text)
    }

    /// A table of every key, its environment variable and its value, for `--help` and the README.
    public func describe() -> String {
        keys.map { "\($0.path) (\($0.environmentVariable)) = \($0.get(self))\n    \($0.help)" }
            .joined(separator: "\n")
    }

    private mutating func apply(_ object: [String: Any], prefix: String, keys: [ConfigurationKey<Configuration>]) throws(ConfigurationError) {
        for name in object.keys.sorted() {
            let path = prefix.isEmpty ? name : "\(prefix).\(name)"
            let value = object[name]!
            // A key whose value is itself an object (`auth.oidc.groupRoles`) takes the object whole.
            if let nested = value as? [String: Any], !keys.contains(where: { $0.path == path && $0.takesObject }) {
                guard keys.contains(where: { $0.path.hasPrefix(path + ".") }) else {
                    throw ConfigurationError("unknown configuration key `\(path)`")
                }
                try apply(nested, prefix: path, keys: keys)
                continue
            }
            guard let key = keys.first(where: { $0.path == path }) else {
                throw ConfigurationError("unknown configuration key `\(path)`")
            }
            try key.set(&self, value)
        }
    }
}

extension Configuration {
    /// The registered sections: their types in the order of registration, and their values.
    struct Sections: Sendable, Equatable {
        let types: [any ConfigurationSection.Type]
        var values: [ObjectIdentifier: any ConfigurationSection] = [:]

        /// The defaults of `types`. Registering a type twice, or two owners of one first path component
        /// (two sections, or a section and Lifecycle), is a programming error and stops the process.
        init(_ types: [any ConfigurationSection.Type]) {
            self.types = types
            var owners: [Substring: String] = [:]
            for key in Configuration.lifecycleKeys { owners[key.firstComponent] = "Lifecycle" }
            for type in types {
                precondition(values[ObjectIdentifier(type)] == nil, "configuration section \(type) registered twice")
                values[ObjectIdentifier(type)] = type.init()
                for component in Set(type.configurationKeys.map(\.firstComponent)) {
                    if let owner = owners[component] {
                        preconditionFailure("configuration keys under `\(component)` belong to both \(owner) and \(type)")
                    }
                    owners[component] = "\(type)"
                }
            }
        }

        static func == (lhs: Sections, rhs: Sections) -> Bool {
            lhs.types.map(ObjectIdentifier.init) == rhs.types.map(ObjectIdentifier.init)
                && lhs.values.allSatisfy { id, value in rhs.values[id].map(value.isEqual(to:)) ?? false }
        }

        static func notRegistered(_ type: any ConfigurationSection.Type) -> Never {
            preconditionFailure("configuration section \(type) was not registered when the configuration was loaded")
        }
    }
}
