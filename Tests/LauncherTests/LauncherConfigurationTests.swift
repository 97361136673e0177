import Foundation
import GatewayService
@testable import Launcher
import Lifecycle
import ScoringService
import SkillsService
import StorageService
import Testing

/// The launcher and the command line load every section and refuse any key none of them knows.
@Suite struct LauncherConfigurationTests {
    private func write(_ text: String) -> String {
        let path = NSTemporaryDirectory() + "launcher-config-\(UUID().uuidString).json"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test func everySectionIsLoaded() throws {
        let file = write(#"""
            {"runDir": "/run/st", "http": {"port": 9000}, "storage": {"file": "st.sqlite"},
             "skills": {"model": {"name": "small"}}, "auth": {"maxTokenLifetimeSeconds": 3600}, "jira": {"backfillMonths": 2}}
            """#)
        let configuration = try LauncherCLI.loadConfiguration(file: file, environment: ["SMART_TICKET_INSTANCES_SKILLS": "3"])
        #expect(configuration.runDir == "/run/st")
        #expect(configuration.skillsInstances == 3)
        #expect(configuration[GatewaySettings.self].httpPort == 9000)
        #expect(configuration[GatewaySettings.self].maxTokenLifetimeSeconds == 3600)
        #expect(configuration[GatewaySettings.self].jiraBackfillMonths == 2)
        #expect(configuration[StorageSettings.self].file == "st.sqlite")
        #expect(configuration[SkillsSettings.self].modelName == "small")
    }

    @Test(arguments: [
        (#"{"http": {"prot": 80}}"#, "unknown configuration key `http.prot`"),
        (#"{"storage": {"fil": "x"}}"#, "unknown configuration key `storage.fil`"),
        (#"{"skills": {"model": {"nam": "x"}}}"#, "unknown configuration key `skills.model.nam`"),
        (#"{"bogus": 1}"#, "unknown configuration key `bogus`"),
        (#"{"scoring": {"maxCandidates": 5}}"#, "unknown configuration key `scoring.maxCandidates`"),
        (#"{"instances": {"storage": 2}}"#, "`instances.storage` must be between 1 and 1"),
    ])
    func unknownKeysOfAnySectionAreRefused(text: String, expected: String) {
        do {
            _ = try LauncherCLI.loadConfiguration(file: write(text), environment: [:])
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.message == expected || error.message.hasPrefix(expected), "\(error.message)")
        }
    }

    /// `serve --print-config` shows every key: Lifecycle's, then storage's, skills', scoring's and the gateway's.
    @Test func describeCoversEverySection() throws {
        let configuration = try LauncherCLI.loadConfiguration(file: nil, environment: [:])
        let paths = configuration.describe().split(separator: "\n").filter { !$0.hasPrefix(" ") }.map { String($0.prefix { $0 != " " }) }
        let sections = StorageSettings.keys.map(\.path) + SkillsSettings.keys.map(\.path) + ScoringSettings.keys.map(\.path)
            + GatewaySettings.keys.map(\.path)
        #expect(paths.count == 17 + sections.count)
        #expect(Array(paths.suffix(sections.count)) == sections)
        #expect(paths.prefix(3) == ["runDir", "dataDir", "logLevel"])
        #expect(Set(paths).count == paths.count)
    }

    /// README.md's configuration table names every key with its environment variable.
    @Test func theReadmeTableListsEveryKeyAndItsVariable() throws {
        let readme = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
        let table = readme.components(separatedBy: "## Configuration").dropFirst().first?.components(separatedBy: "\n## ").first ?? ""
        let rows = table.split(separator: "\n").filter { $0.hasPrefix("| `") }
        for key in try LauncherCLI.loadConfiguration(file: nil, environment: [:]).keys {
            let row = rows.first { $0.hasPrefix("| `\(key.path)`") || $0.contains(", `\(key.path)`") }
            #expect(row != nil, "\(key.path) has no row")
            // Rows of several keys name the first variable and elide the others.
            if let row, row.hasPrefix("| `\(key.path)`") { #expect(row.contains("`\(key.environmentVariable)`"), "\(key.path)") }
        }
    }
}
