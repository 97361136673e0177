import Foundation

/// How SmartTicket authenticates to a Jira site: an API token with the account's e-mail (Basic),
/// or an OAuth 2.0 access token (Bearer). The secret is read from a file or an environment variable
/// when needed and is never logged or printed (`description` hides it).
public struct JiraCredentials: Sendable, CustomStringConvertible {
    public enum Scheme: String, Codable, Sendable {
        case basic
        case bearer
    }

    public let scheme: Scheme
    let email: String?
    let token: String

    public init(basicEmail email: String, token: String) {
        scheme = .basic
        self.email = email
        self.token = token
    }

    public init(bearer token: String) {
        scheme = .bearer
        email = nil
        self.token = token
    }

    /// The `Authorization` header value.
    var authorization: String {
        switch scheme {
        case .basic: return "Basic " + Data("\(email ?? ""):\(token)".utf8).base64EncodedString()
        case .bearer: return "Bearer \(token)"
        }
    }

    public var description: String { "JiraCredentials(\(scheme.rawValue), secret hidden)" }

    /// Reads the token from `tokenFile` (first line, trimmed) or else the environment variable `tokenEnv`.
    public static func readToken(file: String?, env: String?,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let file, !file.isEmpty {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw JiraError(status: 0, message: "cannot read the token file \(file)", call: "credentials")
            }
            let token = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first
                .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard !token.isEmpty else { throw JiraError(status: 0, message: "the token file \(file) is empty", call: "credentials") }
            return token
        }
        if let env, !env.isEmpty {
            guard let token = environment[env]?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty else {
                throw JiraError(status: 0, message: "the environment variable \(env) is not set", call: "credentials")
            }
            return token
        }
        throw JiraError(status: 0, message: "no token: give a token file or an environment variable", call: "credentials")
    }
}
