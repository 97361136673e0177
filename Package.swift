// swift-tools-version:6.1
import PackageDescription

/// SmartTicket: no package dependencies, only Foundation, Dispatch, Glibc and system C libraries.
let package = Package(
    name: "SmartTicket",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "smart-ticket", targets: ["smart-ticket"]),
        .executable(name: "smart-ticket-gateway", targets: ["smart-ticket-gateway"]),
        .executable(name: "smart-ticket-skills", targets: ["smart-ticket-skills"]),
        .executable(name: "smart-ticket-scoring", targets: ["smart-ticket-scoring"]),
        .executable(name: "smart-ticket-storage", targets: ["smart-ticket-storage"]),
        .executable(name: "smart-ticket-bench", targets: ["smart-ticket-bench"]),
    ],
    targets: [
        // System C libraries.
        .systemLibrary(name: "CSQLite", path: "Shared/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Shared/COpenSSL", providers: [.apt(["libssl-dev"])]),
        // PostgreSQL's client library, for storage's PostgreSQL engine (pkg-config finds its headers).
        .systemLibrary(name: "CLibPQ", path: "Shared/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        // Build-time derivation of the binary conformances a target lists in its binary-codable.list.
        .target(name: "BinaryCodableDerivation", path: "Shared/Tools/BinaryCodableDerivation"),
        .executableTarget(name: "derive-binary-codable", dependencies: ["BinaryCodableDerivation"], path: "Shared/Tools/derive-binary-codable"),
        .plugin(name: "DeriveBinaryCodable", capability: .buildTool(), dependencies: ["derive-binary-codable"], path: "Shared/Plugins/DeriveBinaryCodable"),

        // Shared libraries.
        .target(name: "CShims", path: "Shared/CShims"),
        .target(name: "Posix", dependencies: ["CShims"], path: "Shared/Posix"),
        .target(name: "Wire", path: "Shared/Wire"),
        .target(name: "Observability", dependencies: ["Posix"], path: "Shared/Observability"),
        .target(name: "RPC", dependencies: ["Posix", "Wire", "Observability"], path: "Shared/RPC",
                exclude: ["binary-codable.list"], plugins: ["DeriveBinaryCodable"]),
        .target(name: "HTTP", dependencies: ["Posix", "Observability"], path: "Shared/HTTP"),
        .target(name: "Crypto", dependencies: ["COpenSSL"], path: "Shared/Crypto"),
        .target(name: "Model", path: "Shared/Model"),
        .target(name: "JSONKit", dependencies: ["Model"], path: "Shared/JSONKit"),
        .target(name: "Contracts", dependencies: ["Model", "RPC", "JSONKit", "Wire"], path: "Shared/Contracts",
                exclude: ["binary-codable.list"], plugins: ["DeriveBinaryCodable"]),
        .target(name: "Lifecycle", dependencies: ["Posix", "RPC", "Observability", "Contracts"], path: "Shared/Lifecycle"),
        .target(name: "Workflows", dependencies: ["Contracts", "Model", "RPC"], path: "Shared/Workflows"),
        .target(name: "TextKit", path: "Shared/TextKit"),
        // Drives the real system from outside (a launcher, CLI commands, a fake Jira site, the fixtures): the bench and the tests.
        .target(name: "Harness", dependencies: ["CShims", "Contracts", "HTTP", "Observability", "Posix", "RPC"], path: "Shared/Harness"),

        // Services: a library with the logic and a thin executable each.
        .target(name: "StorageService", dependencies: ["CSQLite", "CLibPQ", "Contracts", "Crypto", "Lifecycle", "Observability", "RPC", "JSONKit", "Workflows"], path: "Services/Storage/Sources/StorageService"),
        .executableTarget(name: "smart-ticket-storage", dependencies: ["StorageService", "Lifecycle"], path: "Services/Storage/Sources/Main"),
        .target(name: "SkillsCore", dependencies: ["Model", "TextKit"], path: "Services/Skills/Sources/SkillsCore",
                resources: [.copy("Resources/taxonomy.json")]),
        .target(name: "SkillsService", dependencies: ["SkillsCore", "Crypto", "Contracts", "Lifecycle", "HTTP", "Model", "Observability", "Posix", "RPC"], path: "Services/Skills/Sources/SkillsService"),
        .executableTarget(name: "smart-ticket-skills", dependencies: ["SkillsService", "Lifecycle"], path: "Services/Skills/Sources/Main"),
        .target(name: "ScoringCore", dependencies: ["Model", "TextKit"], path: "Services/Scoring/Sources/ScoringCore"),
        .target(name: "ScoringService", dependencies: ["ScoringCore", "Contracts", "Lifecycle", "Model", "Observability", "Posix", "RPC", "JSONKit"], path: "Services/Scoring/Sources/ScoringService"),
        .executableTarget(name: "smart-ticket-scoring", dependencies: ["ScoringService", "Lifecycle"], path: "Services/Scoring/Sources/Main"),
        .target(name: "JiraClient", dependencies: ["Model", "Observability", "TextKit", "HTTP"], path: "Services/Gateway/Sources/JiraClient"),
        .target(name: "GatewayService", dependencies: ["Crypto", "Contracts", "Lifecycle", "HTTP", "JiraClient", "Model", "Observability", "Posix", "RPC", "JSONKit", "Workflows"], path: "Services/Gateway/Sources/GatewayService",
                resources: [.copy("Panel")]),
        .executableTarget(name: "smart-ticket-gateway", dependencies: ["GatewayService", "Lifecycle"], path: "Services/Gateway/Sources/Main"),
        .target(name: "Launcher", dependencies: ["Contracts", "Lifecycle", "GatewayService", "HTTP", "ScoringCore", "ScoringService", "SkillsService", "JiraClient", "StorageService", "Model", "Observability", "Posix", "RPC", "SkillsCore", "Workflows"], path: "Services/Launcher/Sources/Launcher"),
        .executableTarget(name: "smart-ticket", dependencies: ["Launcher"], path: "Services/Launcher/Sources/Main"),
        .target(name: "Bench", dependencies: ["Contracts", "Lifecycle", "SkillsCore", "ScoringCore", "Model", "Posix", "RPC", "Wire", "Harness", "JSONKit", "Workflows"], path: "Services/Bench/Sources/Bench"),
        .executableTarget(name: "smart-ticket-bench", dependencies: ["Bench"], path: "Services/Bench/Sources/Main"),

        // Tests.
        .target(name: "TestSupport", dependencies: ["Contracts", "HTTP", "Model", "Observability", "RPC", "Harness"], path: "Tests/TestSupport"),
        .testTarget(name: "PosixTests", dependencies: ["Posix"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "Posix", "Observability"]),
        .testTarget(name: "WireTests", dependencies: ["Wire", "TestSupport"]),
        .testTarget(name: "RPCTests", dependencies: ["RPC", "Contracts", "TestSupport", "Observability", "Posix", "Wire", "Harness"]),
        .testTarget(name: "ObservabilityTests", dependencies: ["Observability"]),
        .testTarget(name: "LifecycleTests", dependencies: ["Lifecycle"]),
        .testTarget(name: "LauncherTests", dependencies: ["Launcher", "Lifecycle", "GatewayService", "Model", "ScoringCore", "ScoringService", "SkillsService", "StorageService"]),
        .testTarget(name: "CryptoTests", dependencies: ["Crypto"]),
        .testTarget(name: "JSONKitTests", dependencies: ["JSONKit"]),
        .testTarget(name: "TextKitTests", dependencies: ["TextKit", "TestSupport", "Harness"]),
        .testTarget(name: "ScoringCoreTests", dependencies: ["ScoringCore", "Model", "Harness"], exclude: ["Fixtures"]),
        .testTarget(name: "ScoringServiceTests", dependencies: ["ScoringService", "Contracts", "Model", "Observability", "RPC"]),
        .testTarget(name: "SkillsCoreTests", dependencies: ["SkillsCore", "Model", "TestSupport", "Harness"], exclude: ["Fixtures"]),
        .testTarget(name: "SkillsServiceTests", dependencies: ["SkillsService", "Lifecycle", "TestSupport", "Contracts", "Model", "Observability", "Posix", "RPC", "SkillsCore", "Harness"]),
        .testTarget(name: "GatewayServiceTests", dependencies: ["GatewayService", "TestSupport", "Contracts", "Crypto", "HTTP", "Lifecycle", "Model", "Observability", "RPC", "Harness", "JSONKit"]),
        .testTarget(name: "StorageServiceTests", dependencies: ["StorageService", "Lifecycle", "Contracts", "Observability", "RPC", "Harness", "JSONKit"]),
        .testTarget(name: "IntegrationTests", dependencies: ["Contracts", "TestSupport", "Crypto", "Model", "Posix", "RPC", "Harness", "Workflows"]),
        .testTarget(name: "JiraClientTests", dependencies: ["JiraClient", "TestSupport", "Observability", "Harness"], exclude: ["Fixtures"]),
        .testTarget(name: "DeployTests", dependencies: ["Contracts", "TestSupport", "Harness"]),
        .testTarget(name: "WorkflowsTests", dependencies: ["Workflows", "Contracts", "RPC", "TestSupport", "Observability", "Harness", "StorageService"]),
        .testTarget(name: "ModelTests", dependencies: ["Model"]),
        .testTarget(name: "BinaryCodableDerivationTests", dependencies: ["BinaryCodableDerivation"]),
        .testTarget(name: "ContractsTests", dependencies: ["Contracts", "RPC", "Wire", "TestSupport", "Observability", "Harness", "JSONKit"]),
    ],
    swiftLanguageModes: [.v6]
)
