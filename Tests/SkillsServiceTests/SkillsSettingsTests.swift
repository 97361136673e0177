import Foundation
import Lifecycle
@testable import SkillsService
import Testing

/// The skills service's keys (`skills.*`), as the launcher and the skills process load them.
@Suite struct SkillsSettingsTests {
    private func write(_ text: String) -> String {
        let path = NSTemporaryDirectory() + "skills-config-\(UUID().uuidString).json"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    private func load(_ text: String?, environment: [String: String] = [:],
                      unknownKeys: Configuration.UnknownKeys = .rejectInRegisteredSections) throws(ConfigurationError) -> SkillsSettings {
        let file = text.map(write)
        defer { if let file { try? FileManager.default.removeItem(atPath: file) } }
        return try Configuration.load(file: file, environment: environment, sections: [SkillsSettings.self], unknownKeys: unknownKeys)[SkillsSettings.self]
    }

    @Test func defaults() throws {
        let settings = try load(nil)
        #expect(settings == SkillsSettings())
        #expect(settings.modelBaseURL.isEmpty)
        #expect(settings.modelName == "gpt-4o-mini")
        #expect(settings.modelAPIKeyEnv == "OPENAI_API_KEY")
        #expect(settings.modelTimeoutSeconds == 10)
        #expect(settings.cacheTTLSeconds == 7 * 86_400)
        #expect(settings.vocabularyRefreshSeconds == 300)
        #expect(try ModelConfiguration.from(settings) == nil)
    }

    @Test func fileThenEnvironment() throws {
        let text = #"""
            {"skills": {"model": {"baseURL": "https://models.example.com/v1", "name": "small", "apiKeyEnv": "KEY", "timeoutSeconds": 3},
                        "cacheTTLSeconds": 60, "vocabularyRefreshSeconds": 0}}
            """#
        let environment = ["SMART_TICKET_SKILLS_MODEL_NAME": "large", "SMART_TICKET_SKILLS_MODEL_API_KEY_FILE": "/etc/key",
                           "SMART_TICKET_SKILLS_CACHE_TTLSECONDS": "120", "SMART_TICKET_SKILLS_VOCABULARY_REFRESH_SECONDS": "30"]
        let settings = try load(text, environment: environment)
        #expect(settings.modelBaseURL == "https://models.example.com/v1")
        #expect(settings.modelName == "large")
        #expect(settings.modelAPIKeyEnv == "KEY")
        #expect(settings.modelAPIKeyFile == "/etc/key")
        #expect(settings.modelTimeoutSeconds == 3)
        #expect(settings.cacheTTLSeconds == 120)
        #expect(settings.vocabularyRefreshSeconds == 30)
        let model = try ModelConfiguration.from(try load(text), environment: ["KEY": "sk-test"])
        #expect(model?.model == "small")
        #expect(model?.apiKey == "sk-test")
        #expect(model?.timeout == 3)
    }

    @Test func environmentVariablesAreTheDocumentedOnes() {
        #expect(SkillsSettings.keys.map(\.environmentVariable) == [
            "SMART_TICKET_SKILLS_MODEL_BASE_URL", "SMART_TICKET_SKILLS_MODEL_NAME", "SMART_TICKET_SKILLS_MODEL_API_KEY_ENV",
            "SMART_TICKET_SKILLS_MODEL_API_KEY_FILE", "SMART_TICKET_SKILLS_MODEL_TIMEOUT_SECONDS",
            "SMART_TICKET_SKILLS_CACHE_TTLSECONDS", "SMART_TICKET_SKILLS_VOCABULARY_REFRESH_SECONDS",
            "SMART_TICKET_SKILLS_TENANT_IDLE_SECONDS",
        ])
    }

    @Test(arguments: [
        (#"{"skills": {"model": {"timeoutSeconds": 0}}}"#, "`skills.model.timeoutSeconds` must be between 0.1 and 120.0, got 0.0"),
        (#"{"skills": {"model": {"name": ""}}}"#, "`skills.model.name` must be a non-empty string"),
        (#"{"skills": {"model": {"apiKeyEnv": 5}}}"#, "`skills.model.apiKeyEnv` must be a non-empty string"),
        (#"{"skills": {"cacheTTLSeconds": 0}}"#, "`skills.cacheTTLSeconds` must be between 1.0 and 7776000.0, got 0.0"),
        (#"{"skills": {"vocabularyRefreshSeconds": -1}}"#, "`skills.vocabularyRefreshSeconds` must be between 0.0 and 86400.0, got -1.0"),
        (#"{"skills": {"model": {"url": "https://x"}}}"#, "unknown configuration key `skills.model.url`"),
        (#"{"skills": {"cacheTtlSeconds": 60}}"#, "unknown configuration key `skills.cacheTtlSeconds`"),
    ])
    func badValuesNameTheKey(text: String, expected: String) {
        do {
            _ = try load(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.message == expected)
        }
    }

    /// The skills process reads the launcher's file: the gateway's and storage's keys are not its business.
    @Test func theSkillsProcessIgnoresOtherServicesKeys() throws {
        let text = #"{"http": {"prot": 1}, "storage": {"fil": "x"}, "skills": {"model": {"name": "small"}}}"#
        #expect(try load(text).modelName == "small")
        do {
            _ = try load(text, unknownKeys: .reject)
            Issue.record("accepted keys of unregistered sections")
        } catch {
            #expect(error.message == "unknown configuration key `http`")
        }
    }
}
