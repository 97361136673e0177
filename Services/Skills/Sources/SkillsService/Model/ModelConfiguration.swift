import Foundation
import Lifecycle

/// How to reach an OpenAI-compatible chat completions endpoint. The API key lives only in memory:
/// it is read from an environment variable or a file, never stored in the database or logged.
public struct ModelConfiguration: Sendable {
    /// For example `https://api.openai.com/v1`; `/chat/completions` is appended.
    public var baseURL: URL
    public var model: String
    public var apiKey: String
    /// Time one attempt may take, capped by the caller's deadline.
    public var timeout: Double
    /// Retries after a 429 or 5xx (never after `insufficient_quota`).
    public var maxRetries: Int
    /// Longest wait honoured from a `retry-after` header before giving up on the model.
    public var maxRetryWait: Double

    public init(baseURL: URL, model: String, apiKey: String, timeout: Double = 10, maxRetries: Int = 2, maxRetryWait: Double = 5) {
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
        self.timeout = timeout
        self.maxRetries = maxRetries
        self.maxRetryWait = maxRetryWait
    }

    /// The model of the skills service's `settings`, nil when no base URL is set.
    public static func from(_ settings: SkillsSettings, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ModelConfiguration? {
        guard !settings.modelBaseURL.isEmpty else { return nil }
        guard let url = URL(string: settings.modelBaseURL), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
              url.user == nil, url.password == nil else {
            throw ConfigurationError("`skills.model.baseURL` must be an absolute https URL such as https://api.openai.com/v1")
        }
        // Ticket text leaves the machine only encrypted: plain http only to a model on this machine.
        guard scheme == "https" || (scheme == "http" && isLoopback(host)) else {
            throw ConfigurationError("`skills.model.baseURL` must use https (plain http is allowed only for a loopback address such as http://127.0.0.1:8000/v1)")
        }
        var key: String?
        if !settings.modelAPIKeyFile.isEmpty {
            guard let text = try? String(contentsOfFile: settings.modelAPIKeyFile, encoding: .utf8) else {
                throw ConfigurationError("`skills.model.apiKeyFile`: cannot read the file")
            }
            key = text.trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            key = environment[settings.modelAPIKeyEnv]
        }
        guard let key, !key.isEmpty else {
            throw ConfigurationError("no API key for the model: set \(settings.modelAPIKeyEnv) or `skills.model.apiKeyFile`")
        }
        return ModelConfiguration(baseURL: url, model: settings.modelName, apiKey: key, timeout: settings.modelTimeoutSeconds)
    }

    /// Whether `host` (as a URL gives it) is this machine: `localhost`, 127.0.0.0/8 or ::1.
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in !octet.isEmpty && octet.count <= 3 && octet.allSatisfy(\.isASCII) && UInt8(octet) != nil }
    }
}
