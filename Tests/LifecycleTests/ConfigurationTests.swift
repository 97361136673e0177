import Foundation
import Testing
@testable import Lifecycle

/// Two sections declared as services declare theirs: one with nested and custom keys, one plain.
struct PantrySettings: ConfigurationSection {
    var shelf = "top"
    var jars = 3
    var weightKilograms = 1.5
    var doorColor = "red"
    var labels: [String] = []

    static let keys: [ConfigurationKey<PantrySettings>] = [
        .string("pantry.shelf", "Which shelf.", \.shelf, allowed: ["top", "bottom"]),
        .int("pantry.jars", "How many jars.", \.jars, 0...10),
        .double("pantry.weightKilograms", "How heavy.", \.weightKilograms, 0...20),
        .string("pantry.door.color", "The door's colour.", \.doorColor),
        .custom("pantry.labels", "Labels: a JSON list, or comma-separated.", get: { $0.labels.joined(separator: ",") },
                set: { (settings, value) throws(ConfigurationError) in
                    guard let labels = (value as? [String]) ?? (value as? String)?.split(separator: ",").map(String.init) else {
                        throw ConfigurationError("`pantry.labels` must be a list of strings")
                    }
                    settings.labels = labels
                }),
    ]
}

struct CellarSettings: ConfigurationSection {
    var bottles = 12

    static let keys: [ConfigurationKey<CellarSettings>] = [.int("cellar.bottles", "How many bottles.", \.bottles, 0...1000)]
}

/// The mechanism: Lifecycle's own keys, sections, the file and the environment, unknown keys in both modes.
/// The services' keys are tested with their sections (GatewaySettingsTests, StorageSettingsTests, SkillsSettingsTests).
@Suite struct ConfigurationTests {
    private func write(_ text: String) -> String {
        let path = NSTemporaryDirectory() + "config-\(UUID().uuidString).json"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    /// The message `load` fails with, nil if it succeeds.
    private func failure(_ text: String, sections: [any ConfigurationSection.Type] = [PantrySettings.self],
                         unknownKeys: Configuration.UnknownKeys = .reject, environment: [String: String] = [:]) -> String? {
        let file = write(text)
        defer { try? FileManager.default.removeItem(atPath: file) }
        do {
            _ = try Configuration.load(file: file, environment: environment, sections: sections, unknownKeys: unknownKeys)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func defaultsWithoutFileOrEnvironment() throws {
        let configuration = try Configuration.load(file: nil, environment: [:], sections: [PantrySettings.self])
        #expect(configuration == Configuration(sections: [PantrySettings.self]))
        #expect(configuration[PantrySettings.self] == PantrySettings())
        #expect(configuration.runDir == "./run")
        #expect(configuration.dataDir == "./data")
        #expect(configuration.rpcMaxFrameBytes == 4 << 20)
        #expect(configuration.contains(PantrySettings.self))
        #expect(!configuration.contains(CellarSettings.self))
    }

    @Test func fileThenEnvironmentOverrideLifecycleAndEverySection() throws {
        let file = write(#"""
            {"pantry": {"jars": 5, "shelf": "bottom", "door": {"color": "blue"}, "labels": ["jam", "tea"]},
             "cellar": {"bottles": 20}, "instances": {"scoring": 2}, "logLevel": "debug", "rpc": {"timeoutSeconds": 3}}
            """#)
        let environment = ["SMART_TICKET_PANTRY_JARS": "7", "SMART_TICKET_PANTRY_DOOR_COLOR": "green",
                           "SMART_TICKET_RPC_TIMEOUT_SECONDS": "2.5", "SMART_TICKET_CELLAR_BOTTLES": "30"]
        let configuration = try Configuration.load(file: file, environment: environment,
                                                   sections: [PantrySettings.self, CellarSettings.self])
        let pantry = configuration[PantrySettings.self]
        #expect(pantry.jars == 7)
        #expect(pantry.shelf == "bottom")
        #expect(pantry.doorColor == "green")
        #expect(pantry.labels == ["jam", "tea"])
        #expect(pantry.weightKilograms == 1.5)
        #expect(configuration[CellarSettings.self].bottles == 30)
        #expect(configuration.scoringInstances == 2)
        #expect(configuration.logLevel == "debug")
        #expect(configuration.rpcTimeoutSeconds == 2.5)
    }

    @Test func environmentVariableNamesFollowTheKeyPaths() {
        let names = Configuration(sections: [PantrySettings.self]).keys.map(\.environmentVariable)
        for name in ["SMART_TICKET_RUN_DIR", "SMART_TICKET_RPC_MAX_FRAME_BYTES", "SMART_TICKET_INSTANCES_SCORING",
                     "SMART_TICKET_SHUTDOWN_GRACE_SECONDS", "SMART_TICKET_RESTART_INITIAL_BACKOFF_SECONDS",
                     "SMART_TICKET_PANTRY_WEIGHT_KILOGRAMS", "SMART_TICKET_PANTRY_DOOR_COLOR", "SMART_TICKET_PANTRY_LABELS"] {
            #expect(names.contains(name), "\(name)")
        }
        // camelCase is split where a lower-case letter meets an upper-case one, and only there.
        func name(_ path: String) -> String { ConfigurationKey<PantrySettings>.string(path, "", \.shelf).environmentVariable }
        #expect(name("http.maxImportBytes") == "SMART_TICKET_HTTP_MAX_IMPORT_BYTES")
        #expect(name("skills.model.baseURL") == "SMART_TICKET_SKILLS_MODEL_BASE_URL")
        #expect(name("skills.cacheTTLSeconds") == "SMART_TICKET_SKILLS_CACHE_TTLSECONDS")
    }

    @Test(arguments: [
        (#"{"pantry": {"jar": 1}}"#, "unknown configuration key `pantry.jar`"),
        (#"{"pantry": {"door": {"colour": "blue"}}}"#, "unknown configuration key `pantry.door.colour`"),
        (#"{"pantry": 5}"#, "unknown configuration key `pantry`"),
        (#"{"pantry": {"jars": {"count": 1}}}"#, "unknown configuration key `pantry.jars`"),
        (#"{"bogus": 1}"#, "unknown configuration key `bogus`"),
        (#"{"cellar": {"bottles": 1}}"#, "unknown configuration key `cellar`"),
        (#"{"instances": {"gateway": 1}}"#, "unknown configuration key `instances.gateway`"),
        (#"{"pantry": {"jars": "many"}}"#, "`pantry.jars` must be an integer"),
        (#"{"pantry": {"jars": 2.5}}"#, "`pantry.jars` must be an integer"),
        (#"{"pantry": {"jars": 11}}"#, "`pantry.jars` must be between 0 and 10, got 11"),
        (#"{"pantry": {"shelf": "middle"}}"#, "`pantry.shelf` must be one of top, bottom, got 'middle'"),
        (#"{"pantry": {"labels": 3}}"#, "`pantry.labels` must be a list of strings"),
        (#"{"logLevel": "loud"}"#, "`logLevel` must be one of"),
        (#"{"runDir": ""}"#, "`runDir` must be a non-empty string"),
        (#"{"instances": {"storage": 2}}"#, "`instances.storage` must be between 1 and 1"),
        (#"{"rpc": {"timeoutSeconds": "soon"}}"#, "`rpc.timeoutSeconds` must be a number"),
        (#"[1, 2]"#, "must hold a JSON object"),
        (#"{not json"#, "is not valid JSON"),
    ])
    func invalidFilesNameTheBadKey(text: String, expected: String) {
        let message = failure(text)
        #expect(message?.contains(expected) == true, "\(message ?? "accepted")")
    }

    /// A service process gets the launcher's whole file: it judges only the keys of Lifecycle and its own sections.
    @Test func aServiceIgnoresOtherSectionsButNotItsOwnNorLifecycles() throws {
        let mixed = #"{"cellar": {"bottles": "lots"}, "http": {"port": 70000}, "bogus": 1, "pantry": {"jars": 4}, "logLevel": "debug"}"#
        #expect(failure(mixed)?.contains("unknown configuration key `bogus`") == true)
        #expect(failure(mixed, unknownKeys: .rejectInRegisteredSections) == nil)
        let file = write(mixed)
        let loaded = try Configuration.load(file: file, environment: [:], sections: [PantrySettings.self], unknownKeys: .rejectInRegisteredSections)
        #expect(loaded[PantrySettings.self].jars == 4)
        #expect(loaded.logLevel == "debug")
        #expect(!loaded.contains(CellarSettings.self))

        for (text, expected) in [
            (#"{"pantry": {"jar": 1}}"#, "unknown configuration key `pantry.jar`"),
            (#"{"pantry": 5}"#, "unknown configuration key `pantry`"),
            (#"{"pantry": {"jars": 11}}"#, "`pantry.jars` must be between 0 and 10, got 11"),
            (#"{"instances": {"storag": 1}}"#, "unknown configuration key `instances.storag`"),
            (#"{"rpc": {"timeoutSeconds": 0}}"#, "`rpc.timeoutSeconds` must be between"),
            (#"{"logLevel": "loud"}"#, "`logLevel` must be one of"),
        ] {
            let message = failure(text, unknownKeys: .rejectInRegisteredSections)
            #expect(message?.contains(expected) == true, "\(text): \(message ?? "accepted")")
        }
        // With its section registered, the other process judges the cellar's keys too.
        let message = failure(#"{"cellar": {"bottle": 1}}"#, sections: [CellarSettings.self], unknownKeys: .rejectInRegisteredSections)
        #expect(message == "unknown configuration key `cellar.bottle`")
    }

    @Test func theEnvironmentReadsOnlyRegisteredKeys() throws {
        let environment = ["SMART_TICKET_CELLAR_BOTTLES": "lots", "SMART_TICKET_BOGUS": "1", "SMART_TICKET_PANTRY_SHELF": "bottom"]
        for mode in [Configuration.UnknownKeys.reject, .rejectInRegisteredSections] {
            let configuration = try Configuration.load(file: nil, environment: environment, sections: [PantrySettings.self], unknownKeys: mode)
            #expect(configuration[PantrySettings.self].shelf == "bottom")
        }
        #expect(throws: ConfigurationError.self) {
            try Configuration.load(file: nil, environment: environment, sections: [PantrySettings.self, CellarSettings.self])
        }
    }

    @Test func invalidEnvironmentValueNamesTheVariable() {
        for (name, value, expected) in [
            ("SMART_TICKET_RPC_TIMEOUT_SECONDS", "soon", "environment variable SMART_TICKET_RPC_TIMEOUT_SECONDS: `rpc.timeoutSeconds` must be a number"),
            ("SMART_TICKET_PANTRY_JARS", "lots", "environment variable SMART_TICKET_PANTRY_JARS: `pantry.jars` must be an integer"),
        ] {
            do {
                _ = try Configuration.load(file: nil, environment: [name: value], sections: [PantrySettings.self])
                Issue.record("\(name)=\(value) was accepted")
            } catch {
                #expect(error.message == expected)
            }
        }
    }

    @Test func setTakesTextForEveryRegisteredKey() throws {
        var configuration = Configuration(sections: [PantrySettings.self])
        try configuration.set("pantry.jars", "9")
        try configuration.set("pantry.labels", "jam,tea")
        try configuration.set("runDir", "/tmp/run")
        #expect(configuration[PantrySettings.self].jars == 9)
        #expect(configuration[PantrySettings.self].labels == ["jam", "tea"])
        #expect(configuration.runDir == "/tmp/run")
        #expect(throws: ConfigurationError.self) { try configuration.set("pantry.jars", "eleven") }
        do {
            try configuration.set("cellar.bottles", "1")
            Issue.record("a key of an unregistered section was set")
        } catch {
            #expect(error.message == "unknown configuration key `cellar.bottles`")
        }
    }

    @Test func describeListsEveryKeyOfLifecycleThenEachSectionInOrder() throws {
        var configuration = Configuration(sections: [PantrySettings.self, CellarSettings.self])
        try configuration.set("pantry.jars", "4")
        let text = configuration.describe()
        let paths = text.split(separator: "\n").filter { !$0.hasPrefix(" ") }.map { String($0.prefix { $0 != " " }) }
        #expect(paths == Configuration.lifecycleKeys.map(\.path) + PantrySettings.keys.map(\.path) + CellarSettings.keys.map(\.path))
        #expect(paths.count == 17 + 5 + 1)
        #expect(text.contains("runDir (SMART_TICKET_RUN_DIR) = ./run\n    Directory for sockets"))
        #expect(text.contains("pantry.jars (SMART_TICKET_PANTRY_JARS) = 4\n    How many jars."))
        #expect(text.hasSuffix("cellar.bottles (SMART_TICKET_CELLAR_BOTTLES) = 12\n    How many bottles."))
    }

    @Test func configurationsCompareTheirSections() {
        var one = Configuration(sections: [PantrySettings.self, CellarSettings.self])
        let two = Configuration(sections: [PantrySettings.self, CellarSettings.self])
        #expect(one == two)
        #expect(one != Configuration(sections: [PantrySettings.self]))
        #expect(one != Configuration(sections: [CellarSettings.self, PantrySettings.self]))
        one[CellarSettings.self].bottles = 13
        #expect(one != two)
        one[CellarSettings.self].bottles = 12
        #expect(one == two)
        one.logLevel = "debug"
        #expect(one != two)
    }

    @Test func readingASectionThatWasNotRegisteredStopsTheProcess() async {
        await #expect(processExitsWith: .failure) {
            _ = Configuration(sections: [PantrySettings.self])[CellarSettings.self]
        }
    }

    @Test func twoOwnersOfOneFirstPathComponentStopTheProcess() async {
        // `pantry.*` twice, and a section under Lifecycle's `rpc`.
        await #expect(processExitsWith: .failure) { _ = Configuration(sections: [PantrySettings.self, PantrySettings.self]) }
        await #expect(processExitsWith: .failure) { _ = Configuration(sections: [RPCSquatter.self]) }
    }

    @Test func missingFileIsAClearError() {
        do {
            _ = try Configuration.load(file: "/nonexistent/smart-ticket.json", environment: [:], sections: [])
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "cannot read configuration file /nonexistent/smart-ticket.json")
        }
    }
}

/// A section that claims a first path component Lifecycle owns.
struct RPCSquatter: ConfigurationSection {
    var retries = 0

    static let keys: [ConfigurationKey<RPCSquatter>] = [.int("rpc.retries", "Retries.", \.retries, 0...3)]
}
