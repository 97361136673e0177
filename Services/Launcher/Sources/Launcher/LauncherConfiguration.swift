import Foundation
import GatewayService
import Lifecycle
import ScoringService
import SkillsService
import StorageService

extension LauncherCLI {
    /// Every service's section of the configuration, in the order services start.
    /// With Lifecycle's own keys, these are all the keys there are.
    public static let configurationSections: [any ConfigurationSection.Type] = [
        StorageSettings.self, SkillsSettings.self, ScoringSettings.self, GatewaySettings.self,
    ]

    /// The configuration with every section, refusing any key none of them knows: what `serve` and the
    /// commands that read the deployment's file load. (Each child then loads its own sections from the
    /// same file and environment.)
    public static func loadConfiguration(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationError) -> Configuration {
        try Configuration.load(file: file, environment: environment, sections: configurationSections, unknownKeys: .reject)
    }
}
