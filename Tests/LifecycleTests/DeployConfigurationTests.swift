import Foundation
import Testing
@testable import Lifecycle

@Suite struct DeployConfigurationTests {
    @Test func exampleConfigurationIsValid() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("deploy/config.example.json").path
        let configuration = try Configuration.load(file: path, environment: [:])
        #expect(configuration.scoringInstances == 2)
        #expect(configuration.dataDir == "/var/lib/smart-ticket")
    }
}
