import Foundation

/// A tenant's connection to a Jira site, as stored in the tenant setting `jira.connection`.
///
/// The token itself is never stored: only where to read it (a file path or an environment variable
/// name), resolved in the gateway each time a client is made, so rotating the token needs no reconnect.
public struct JiraConnection: Codable, Sendable, Equatable {
    /// The setting key.
    public static let settingKey = "jira.connection"

    /// `https://your-domain.atlassian.net` (plain http is allowed for tests and on-premise proxies).
    public var site: String
    /// The account's e-mail for API-token (Basic) authentication; nil with a bearer token.
    public var email: String?
    public var scheme: JiraCredentials.Scheme
    /// Absolute path of a file holding the token.
    public var tokenFile: String?
    /// Name of an environment variable of the gateway holding the token.
    public var tokenEnv: String?
    /// Project keys to sync.
    public var projects: [String]
    /// The connecting account (from `/myself`).
    public var accountId: String?
    /// The connecting account's time zone, in which Jira reads JQL dates.
    public var timeZone: String?
    /// The id of the story points field on this site, found by name at connect time.
    public var storyPointsField: String?
    public var connectedAt: Date

    public init(site: String, email: String?, scheme: JiraCredentials.Scheme, tokenFile: String?, tokenEnv: String?,
                projects: [String], accountId: String? = nil, timeZone: String? = nil, storyPointsField: String? = nil,
                connectedAt: Date = Date()) {
        self.site = site
        self.email = email
        self.scheme = scheme
        self.tokenFile = tokenFile
        self.tokenEnv = tokenEnv
        self.projects = projects
        self.accountId = accountId
        self.timeZone = timeZone
        self.storyPointsField = storyPointsField
        self.connectedAt = connectedAt
    }

    /// The credentials, reading the token now.
    public func credentials(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> JiraCredentials {
        let token = try JiraCredentials.readToken(file: tokenFile, env: tokenEnv, environment: environment)
        switch scheme {
        case .basic:
            guard let email, !email.isEmpty else { throw JiraError(status: 0, message: "an e-mail is required with an API token", call: "credentials") }
            return JiraCredentials(basicEmail: email, token: token)
        case .bearer:
            return JiraCredentials(bearer: token)
        }
    }

    /// The site as a URL, or an error naming it.
    public func siteURL() throws -> URL {
        try JiraConnection.validateSite(site)
    }

    /// Checks a site URL: http or https, a host, no query or credentials.
    public static func validateSite(_ site: String) throws -> URL {
        guard let components = URLComponents(string: site), let scheme = components.scheme?.lowercased(),
              scheme == "https" || scheme == "http", let host = components.host, !host.isEmpty,
              components.user == nil, components.password == nil, components.query == nil,
              let url = components.url else {
            throw JiraError(status: 0, message: "site must be an http(s) URL such as https://your-domain.atlassian.net", call: "connect")
        }
        return url
    }

    /// Whether `link` (an issue's `self`) is an absolute URL on exactly this connection's site: the same
    /// scheme, the same host (case-insensitive) and the same effective port (443 for https, 80 for http
    /// when none is written), no user or password, and a path under the site's own path. Relative
    /// links, other schemes, hosts or ports, and anything URLComponents cannot parse are refused.
    public func isOnSite(_ link: String) -> Bool {
        guard let site = try? siteURL(), let expected = URLComponents(url: site, resolvingAgainstBaseURL: false),
              let given = URLComponents(string: link),
              let scheme = given.scheme?.lowercased(), scheme == expected.scheme?.lowercased(),
              let host = given.host?.lowercased(), !host.isEmpty, host == expected.host?.lowercased(),
              given.user == nil, given.password == nil,
              Self.effectivePort(given) == Self.effectivePort(expected) else { return false }
        let sitePath = expected.path.hasSuffix("/") ? expected.path : expected.path + "/"
        return sitePath == "/" || given.path.hasPrefix(sitePath)
    }

    /// The port a URL reaches: the written one, else the scheme's default.
    static func effectivePort(_ components: URLComponents) -> Int? {
        if let port = components.port { return port }
        switch components.scheme?.lowercased() {
        case "https": return 443
        case "http": return 80
        default: return nil
        }
    }

    /// Encoded for storage.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return try encoder.encode(self)
    }

    /// Decoded from storage.
    public static func decode(_ data: Data) throws -> JiraConnection {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(JiraConnection.self, from: data)
    }
}
