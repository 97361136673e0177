import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Model
import HTTP
import Observability
import RPC

/// Asks an OpenAI-compatible chat completions endpoint which skills a ticket needs.
///
/// Only the title and description are sent, with e-mail addresses and phone numbers redacted. The
/// answer must match a strict JSON schema or it is discarded. 429 and 5xx are retried (honouring
/// `retry-after-ms` / `retry-after`), `insufficient_quota` is not; repeated failures open a circuit
/// breaker. Callers fall back to the local detector on any error.
public final class OpenAIProvider: Sendable {
    public let configuration: ModelConfiguration
    private let session: URLSession
    private let breaker: CircuitBreaker
    private let logger: Logger

    public init(configuration: ModelConfiguration, breaker: CircuitBreaker = CircuitBreaker(), logger: Logger) {
        self.configuration = configuration
        self.breaker = breaker
        self.logger = logger
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = configuration.timeout
        sessionConfiguration.httpMaximumConnectionsPerHost = 8
        self.session = URLSession(configuration: sessionConfiguration)
    }

    /// The skills the model names for the ticket, source `.model`.
    public func detect(title: String, description: String, deadline: Deadline) async throws(ModelError) -> [DetectedSkill] {
        guard breaker.allow() else { throw .circuitOpen }
        do {
            let skills = try await attempt(title: title, description: description, deadline: deadline)
            breaker.recordSuccess()
            return skills
        } catch {
            // A refusal or malformed output is the model's answer, not an outage.
            if error == .refused || error == .malformedOutput { breaker.recordSuccess() } else { breaker.recordFailure() }
            logger.warning("model call failed", ["reason": .string(error.description)])
            throw error
        }
    }

    private func attempt(title: String, description: String, deadline: Deadline) async throws(ModelError) -> [DetectedSkill] {
        let body = requestBody(title: title, description: description)
        var retries = 0
        var backoff = Backoff(initial: 0.5, maximum: 4, multiplier: 2, jitter: 0.2)
        while true {
            let remaining = deadline.remainingSeconds
            guard remaining > 0.05 else { throw .timedOut }
            let (status, headers, data) = try await post(body, timeout: min(configuration.timeout, remaining))
            switch status {
            case 200:
                return try OpenAIProvider.parse(data)
            case 429, 500...599:
                if status == 429, OpenAIProvider.errorCode(data) == "insufficient_quota" { throw .quotaExceeded }
                let error: ModelError = status == 429 ? .rateLimited : .serverError(status: status)
                guard retries < configuration.maxRetries else { throw error }
                let wait = max(OpenAIProvider.retryAfter(headers) ?? 0, backoff.next())
                guard wait <= configuration.maxRetryWait, wait < deadline.remainingSeconds - 0.05 else { throw error }
                retries += 1
                try? await Task.sleep(nanoseconds: UInt64(wait * 1e9))
            default:
                throw .rejected(status: status)
            }
        }
    }

    /// One POST, raced against `timeout` so a stalled server never holds the caller past it.
    private func post(_ body: Data, timeout: Double) async throws(ModelError) -> (Int, [String: String], Data) {
        var request = URLRequest(url: configuration.baseURL.appendingPathComponent("chat/completions"))
        request.httpMethod = "POST"
        request.httpBody = body
        request.timeoutInterval = timeout
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer \(configuration.apiKey)", forHTTPHeaderField: "Authorization")
        switch await OutboundCall.perform(request, session: session, timeout: timeout) {
        case .success(let answer): return (answer.status, answer.headers, answer.body)
        case .failure(.timedOut), .failure(.cancelled): throw .timedOut
        case .failure(.transport): throw .transport
        }
    }

    func requestBody(title: String, description: String) -> Data {
        let system = """
            Extract the skills a Jira ticket needs. Answer with lowercase skill ids (kebab-case, e.g. "postgresql", \
            "kubernetes", "react", "billing") and a weight from 0 to 1 for how central each skill is. At most 10 skills.
            """
        let user = "Title: \(PIIRedactor.redact(title))\nDescription: \(PIIRedactor.redact(String(description.prefix(8000))))"
        let object: [String: Any] = [
            "model": configuration.model,
            "temperature": 0,
            "messages": [["role": "system", "content": system], ["role": "user", "content": user]],
            "response_format": [
                "type": "json_schema",
                "json_schema": [
                    "name": "ticket_skills", "strict": true,
                    "schema": [
                        "type": "object", "additionalProperties": false, "required": ["skills"],
                        "properties": [
                            "skills": [
                                "type": "array",
                                "items": [
                                    "type": "object", "additionalProperties": false, "required": ["name", "weight"],
                                    "properties": ["name": ["type": "string"], "weight": ["type": "number"]],
                                ],
                            ],
                        ],
                    ],
                ] as [String: Any],
            ],
        ]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    /// The skills in a chat completion, or why it is unusable.
    static func parse(_ data: Data) throws(ModelError) -> [DetectedSkill] {
        struct Completion: Decodable {
            struct Choice: Decodable {
                struct Message: Decodable {
                    let content: String?
                    let refusal: String?
                }
                let message: Message
            }
            let choices: [Choice]
        }
        struct Answer: Decodable {
            struct Skill: Decodable {
                let name: String
                let weight: Double
            }
            let skills: [Skill]
        }
        guard let completion = try? JSONDecoder().decode(Completion.self, from: data), let message = completion.choices.first?.message else {
            throw .malformedOutput
        }
        if let refusal = message.refusal, !refusal.isEmpty { throw .refused }
        guard let content = message.content, let answer = try? JSONDecoder().decode(Answer.self, from: Data(content.utf8)),
              answer.skills.count <= 50 else { throw .malformedOutput }
        var skills: [DetectedSkill] = []
        for skill in answer.skills {
            let name = skill.name.lowercased().trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "-")
            guard !name.isEmpty, name.count <= 64, skill.weight.isFinite, (0...1).contains(skill.weight),
                  name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-+#.".unicodeScalars.contains($0)) })
            else { throw .malformedOutput }
            skills.append(DetectedSkill(name: name, weight: skill.weight, source: .model, evidence: []))
        }
        return skills.sorted { $0.weight > $1.weight || ($0.weight == $1.weight && $0.name < $1.name) }
    }

    static func errorCode(_ data: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let error = object["error"] as? [String: Any] else { return nil }
        return (error["code"] as? String) ?? (error["type"] as? String)
    }

    /// Seconds to wait from `retry-after-ms` or `retry-after` (seconds).
    static func retryAfter(_ headers: [String: String]) -> Double? {
        if let ms = headers["retry-after-ms"].flatMap(Double.init), ms >= 0 { return ms / 1000 }
        if let seconds = headers["retry-after"].flatMap(Double.init), seconds >= 0 { return seconds }
        return nil
    }
}
