import Foundation
import Harness
import Model
import Observability
import RPC
import Testing
import TestSupport
@testable import SkillsService

/// The model provider against a fake OpenAI-compatible server answering with the real shapes.
@Suite(.serialized) struct OpenAIProviderTests {
    static let fixtures = TestFixtures.openAIChatCompletions

    static func fixture(_ key: String) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures)) as! [String: Any]
        return String(decoding: try JSONSerialization.data(withJSONObject: object[key]!), as: UTF8.self)
    }

    static func completion(content: String?, refusal: String? = nil) throws -> String {
        var object = try JSONSerialization.jsonObject(with: Data(fixture("response_200").utf8)) as! [String: Any]
        var choices = object["choices"] as! [[String: Any]]
        var message = choices[0]["message"] as! [String: Any]
        message["content"] = content ?? NSNull()
        message["refusal"] = refusal ?? NSNull()
        choices[0]["message"] = message
        object["choices"] = choices
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    private func provider(_ server: FakeHTTPServer, breaker: CircuitBreaker = CircuitBreaker()) -> OpenAIProvider {
        OpenAIProvider(configuration: ModelConfiguration(baseURL: URL(string: server.baseURL + "/v1")!, model: "gpt-4o-mini",
                                                         apiKey: "sk-test-secret-key-0123456789", timeout: 30),
                       breaker: breaker, logger: Logger(label: "test", sink: .discard))
    }

    @Test func answersAreParsedAndOnlyRedactedTitleAndDescriptionAreSent() async throws {
        let server = try FakeHTTPServer()
        defer { server.stop() }
        server.enqueue(.init(status: 200, body: try Self.fixture("response_200")))
        let skills = try await provider(server).detect(
            title: "iOS crash for alice@example.com", description: "Call me at +49 30 1234 5678. Swift app crashes.",
            deadline: .after(seconds: 30))
        #expect(skills == [DetectedSkill(name: "swift", weight: 0.9, source: .model)])
        let request = try #require(server.requests.first)
        #expect(request.path == "/v1/chat/completions")
        #expect(request.header("authorization") == "Bearer sk-test-secret-key-0123456789")
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(!body.contains("alice@example.com") && body.contains("[email]"))
        #expect(!body.contains("1234 5678") && body.contains("[phone]"))
        let sent = try JSONSerialization.jsonObject(with: Data(request.body)) as! [String: Any]
        let format = sent["response_format"] as! [String: Any]
        #expect(format["type"] as? String == "json_schema")
        #expect(sent["model"] as? String == "gpt-4o-mini")
    }

    @Test func rateLimitIsRetriedAfterRetryAfterMs() async throws {
        let server = try FakeHTTPServer()
        defer { server.stop() }
        server.enqueue(.init(status: 429, headers: [("Content-Type", "application/json"), ("retry-after-ms", "150")], body: try Self.fixture("error_429_body")),
                       .init(status: 200, body: try Self.fixture("response_200")))
        let started = Date()
        let skills = try await provider(server).detect(title: "t", description: "d", deadline: .after(seconds: 30))
        #expect(skills.first?.name == "swift")
        #expect(server.requests.count == 2)
        #expect(Date().timeIntervalSince(started) >= 0.15)
    }

    @Test func insufficientQuotaIsNotRetried() async throws {
        let server = try FakeHTTPServer()
        defer { server.stop() }
        server.enqueue(.init(status: 429, body: try Self.fixture("error_429_quota_body")))
        await #expect(throws: ModelError.quotaExceeded) {
            _ = try await provider(server).detect(title: "t", description: "d", deadline: .after(seconds: 30))
        }
        #expect(server.requests.count == 1)
    }

    @Test func serverErrorsAreRetriedThenGivenUp() async throws {
        let server = try FakeHTTPServer()
        defer { server.stop() }
        server.setFallback { _ in .init(status: 500, body: #"{"error":{"message":"boom","type":"server_error"}}"#) }
        await #expect(throws: ModelError.serverError(status: 500)) {
            _ = try await provider(server).detect(title: "t", description: "d", deadline: .after(seconds: 10))
        }
        #expect(server.requests.count == 3)
    }

    @Test func stallPastTheDeadlineTimesOutOnTime() async throws {
        let server = try FakeHTTPServer()
        defer { server.stop() }
        server.enqueue(.init(status: 200, body: try Self.fixture("response_200"), delay: 5))
        // The server would answer after 5 s with a valid completion; timedOut proves the caller did not wait.
        await #expect(throws: ModelError.timedOut) {
            _ = try await provider(server).detect(title: "t", description: "d", deadline: .after(seconds: 0.5))
        }
    }

    @Test func malformedContentAndRefusalsAreDiscarded() async throws {
        let server = try FakeHTTPServer()
        defer { server.stop() }
        server.enqueue(.init(status: 200, body: try Self.completion(content: #"{"skills":[{"name":"swift"}]}"#)),
                       .init(status: 200, body: try Self.completion(content: #"{"skills":[{"name":"swift","weight":7}]}"#)),
                       .init(status: 200, body: try Self.completion(content: "not json")),
                       .init(status: 200, body: try Self.completion(content: nil, refusal: "I can't help with that.")),
                       .init(status: 200, body: "<html>gateway</html>"))
        let provider = provider(server)
        for expected in [ModelError.malformedOutput, .malformedOutput, .malformedOutput, .refused, .malformedOutput] {
            await #expect(throws: expected) { _ = try await provider.detect(title: "t", description: "d", deadline: .after(seconds: 30)) }
        }
    }

    @Test func circuitOpensAfterRepeatedFailuresAndStopsCalling() async throws {
        let server = try FakeHTTPServer()
        defer { server.stop() }
        server.setFallback { _ in .init(status: 400, body: #"{"error":{"message":"bad","type":"invalid_request_error"}}"#) }
        let provider = provider(server, breaker: CircuitBreaker(threshold: 3, cooldown: 60))
        for _ in 0..<3 {
            await #expect(throws: ModelError.rejected(status: 400)) { _ = try await provider.detect(title: "t", description: "d", deadline: .after(seconds: 30)) }
        }
        await #expect(throws: ModelError.circuitOpen) { _ = try await provider.detect(title: "t", description: "d", deadline: .after(seconds: 30)) }
        #expect(server.requests.count == 3)
    }

    @Test func redactorRemovesEmailsAndPhonesButNotVersionsOrDates() {
        #expect(PIIRedactor.redact("mail bob.smith+x@corp.example.org now") == "mail [email] now")
        #expect(PIIRedactor.redact("call (555) 123-4567 or +1 555 123 4567") == "call [phone] or [phone]")
        #expect(PIIRedactor.redact("numpy 1.26.4 released 2024-01-02") == "numpy 1.26.4 released 2024-01-02")
    }
}
