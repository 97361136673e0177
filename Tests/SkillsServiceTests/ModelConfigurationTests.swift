import Foundation
import Lifecycle
@testable import SkillsService
import Testing

/// Ticket text goes to a model only over https, or in plain http to this machine (issue 18).
struct ModelConfigurationTests {
    func configured(_ baseURL: String) throws -> ModelConfiguration? {
        var settings = SkillsSettings()
        settings.modelBaseURL = baseURL
        return try ModelConfiguration.from(settings, environment: [settings.modelAPIKeyEnv: "test-key"])
    }

    @Test(arguments: ["https://api.openai.com/v1", "HTTPS://models.example.com:8443/v1", "http://127.0.0.1:8000/v1",
                      "http://127.1.2.3/v1", "http://localhost:11434/v1", "http://[::1]:8000/v1"])
    func httpsOrLoopbackIsAccepted(_ url: String) throws {
        #expect(try configured(url)?.baseURL.absoluteString == url)
    }

    @Test(arguments: ["http://api.openai.com/v1", "http://10.0.0.5:8000/v1", "http://127.0.0.1.example.com/v1",
                      "http://localhost.example.com/v1", "ftp://127.0.0.1/v1", "https://user:secret@api.example.com/v1", "/v1",
                      "http://[::2]:8000/v1"])
    func plainHTTPElsewhereIsRefused(_ url: String) {
        #expect(throws: ConfigurationError.self) { try configured(url) }
    }

    @Test func noBaseURLMeansNoModel() throws {
        #expect(try configured("") == nil)
    }
}
