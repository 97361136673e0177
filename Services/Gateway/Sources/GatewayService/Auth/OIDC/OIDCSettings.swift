import Foundation
import Lifecycle

/// Single sign-on through an OpenID Connect identity provider (`auth.oidc.*`, part of ``GatewaySettings``). Off while
/// `auth.oidc.issuer` is empty.
public struct OIDCSettings: Sendable, Equatable {
    public var issuer = ""
    public var clientID = ""
    public var clientSecretFile = ""
    public var tenant = ""
    public var scopes = "openid profile email"
    public var groupsClaim = "groups"
    public var groupRoles = GroupRoles()
    public var personClaim = ""
    public var sessionSeconds = 3600.0
    public var maxSessionSeconds = 43_200.0
    public var redirectURL = ""

    public init() {}

    public var isEnabled: Bool { !issuer.isEmpty }

    /// The keys, under `auth.oidc`.
    static let keys: [ConfigurationKey<GatewaySettings>] = [
        .string("auth.oidc.issuer",
                "OpenID Connect issuer URL (https, or http on a loopback address); its /.well-known/openid-configuration is read. Empty: no single sign-on.",
                \.oidc.issuer, allowEmpty: true),
        .string("auth.oidc.clientId", "Client id registered for SmartTicket at the identity provider.", \.oidc.clientID, allowEmpty: true),
        .string("auth.oidc.clientSecretFile", "File holding the client secret (read at start; keep it mode 0600).",
                \.oidc.clientSecretFile, allowEmpty: true),
        .string("auth.oidc.tenant", "The SmartTicket tenant everyone who signs in through the identity provider belongs to.",
                \.oidc.tenant, allowEmpty: true),
        .string("auth.oidc.scopes", "Scopes asked for (space-separated; openid is added when missing). Some providers need `groups`.",
                \.oidc.scopes),
        .string("auth.oidc.groupsClaim", "Claim of the ID token (or userinfo) listing the person's groups.", \.oidc.groupsClaim),
        .custom("auth.oidc.groupRoles",
                #"Roles each group gives: a JSON object from group to {project or "*": role}, e.g. {"leads": {"*": "admin"}, "web-devs": {"WEB": "member"}}."#,
                takesObject: true, get: { $0.oidc.groupRoles.jsonText },
                set: { (settings, value) throws(ConfigurationError) in settings.oidc.groupRoles = try GroupRoles(configuration: value) }),
        .string("auth.oidc.personClaim",
                "Claim (such as email, or one holding the Jira accountId) whose value is the id of the signed-in person's record; empty: none.",
                \.oidc.personClaim, allowEmpty: true),
        .double("auth.oidc.sessionSeconds", "Lifetime of a sign-in session's cookie; renewed while the panel is used, after half of it.",
                \.oidc.sessionSeconds, 60...86_400),
        .double("auth.oidc.maxSessionSeconds", "Longest a session is renewed before signing in again (which reads the groups again).",
                \.oidc.maxSessionSeconds, 60...(30 * 86_400)),
        .string("auth.oidc.redirectURL",
                "Callback URL registered at the identity provider (https://HOST/auth/oidc/callback). Empty: built from the request's Host and scheme (X-Forwarded-Proto from trusted proxies).",
                \.oidc.redirectURL, allowEmpty: true),
    ]

    /// Refuses an incomplete or unsafe configuration at start, saying which key to set.
    func validate(maxTokenLifetime: Double) throws(ConfigurationError) {
        guard isEnabled else { return }
        guard let url = URL(string: issuer), let host = url.host, url.query == nil, url.fragment == nil,
              url.scheme == "https" || (url.scheme == "http" && OIDCSettings.isLoopback(host)) else {
            throw ConfigurationError("`auth.oidc.issuer` must be an https URL (http only on a loopback address), got '\(issuer.prefix(200))'")
        }
        for (key, value) in [("auth.oidc.clientId", clientID), ("auth.oidc.clientSecretFile", clientSecretFile), ("auth.oidc.tenant", tenant)]
        where value.isEmpty {
            throw ConfigurationError("`\(key)` is required with `auth.oidc.issuer`")
        }
        guard !tenant.contains(where: { $0.isWhitespace || $0.isNewline }), tenant.utf8.count <= 128 else {
            throw ConfigurationError("`auth.oidc.tenant` must be a tenant name (at most 128 bytes, no spaces)")
        }
        guard sessionSeconds <= maxTokenLifetime else {
            throw ConfigurationError("`auth.oidc.sessionSeconds` must not exceed `auth.maxTokenLifetimeSeconds`")
        }
        guard maxSessionSeconds >= sessionSeconds else {
            throw ConfigurationError("`auth.oidc.maxSessionSeconds` must be at least `auth.oidc.sessionSeconds`")
        }
        if !redirectURL.isEmpty {
            guard let url = URL(string: redirectURL), url.host != nil, url.scheme == "https" || url.scheme == "http",
                  url.path == "/auth/oidc/callback" else {
                throw ConfigurationError("`auth.oidc.redirectURL` must be the gateway's callback, http(s)://HOST/auth/oidc/callback")
            }
        }
    }

    /// The client secret, read from `auth.oidc.clientSecretFile` (surrounding whitespace dropped).
    func readClientSecret() throws(ConfigurationError) -> String {
        guard let data = FileManager.default.contents(atPath: clientSecretFile),
              case let secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), !secret.isEmpty else {
            throw ConfigurationError("cannot read the client secret from `auth.oidc.clientSecretFile` (\(clientSecretFile.prefix(200)))")
        }
        return secret
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
