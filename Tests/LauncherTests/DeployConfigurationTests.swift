import Foundation
import GatewayService
import Launcher
import Lifecycle
import SkillsService
import StorageService
import Testing

/// The shipped example configuration holds keys of every section: the launcher accepts it, and so does each
/// service process, which gets the same file and reads only its own sections.
@Suite struct DeployConfigurationTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy/config.example.json").path

    @Test func exampleConfigurationIsValid() throws {
        let configuration = try LauncherCLI.loadConfiguration(file: Self.path, environment: [:])
        #expect(configuration.scoringInstances == 2)
        #expect(configuration.dataDir == "/var/lib/smart-ticket")
        #expect(configuration[GatewaySettings.self].trustedProxies == ["127.0.0.1"])
        #expect(configuration[GatewaySettings.self].jiraBackfillMonths == 6)
        #expect(configuration[SkillsSettings.self].cacheTTLSeconds == 604_800)
        #expect(configuration.databasePath == "/var/lib/smart-ticket/smart-ticket.sqlite")
    }

    @Test func everyServiceProcessAcceptsTheExampleAndReadsTheSameValues() throws {
        let launcher = try LauncherCLI.loadConfiguration(file: Self.path, environment: [:])
        for sections: [any ConfigurationSection.Type] in [[StorageSettings.self], [SkillsSettings.self], [], [GatewaySettings.self]] {
            let service = try Configuration.load(file: Self.path, environment: [:], sections: sections, unknownKeys: .rejectInRegisteredSections)
            let keys = service.keys
            #expect(keys.map(\.path).allSatisfy { path in launcher.keys.contains { $0.path == path } })
            let lines = Set(service.describe().split(separator: "\n"))
            #expect(lines.isSubset(of: Set(launcher.describe().split(separator: "\n"))), "\(sections)")
        }
    }
}
