import Foundation
import Lifecycle

/// The gateway's part of the configuration: its HTTP listener (`http.*`), token checks and single sign-on (`auth.*`) and
/// Jira sync and webhooks (`jira.*`). Read with `configuration[GatewaySettings.self]`.
public struct GatewaySettings: ConfigurationSection {
    public var httpHost = "127.0.0.1"
    public var httpPort = 8080
    public var maxImportBytes = 64 << 20
    public var maxConnectionsPerClient = 256
    public var trustedProxies: [String] = []
    public var jwtSecret = ""
    public var jwksFile = ""
    public var jwksAudience = ""
    public var jwksIssuer = ""
    public var maxTokenLifetimeSeconds = 30 * 86_400.0
    public var webhookSecret = ""
    public var jiraSyncIntervalSeconds = 300.0
    /// 0: automatic (``jiraSyncLease``).
    public var jiraSyncLeaseSeconds = 0.0
    public var jiraBackfillMonths = 6
    public var jiraRetryBaseSeconds = 1.0
    /// Single sign-on (`auth.oidc.*`).
    public var oidc = OIDCSettings()

    public init() {}

    /// How long the scheduled Jira sync's lease lasts without renewal: ``jiraSyncLeaseSeconds``, but at least two intervals
    /// (so the lease never lapses between two rounds of its holder), or when 0 the larger of 60 s and three intervals.
    public var jiraSyncLease: Double {
        jiraSyncLeaseSeconds > 0 ? max(jiraSyncLeaseSeconds, 2 * jiraSyncIntervalSeconds) : max(60, 3 * jiraSyncIntervalSeconds)
    }

    public static let keys: [ConfigurationKey<GatewaySettings>] = [
        .string("http.host", "Address the gateway listens on.", \.httpHost),
        .int("http.port", "TCP port of the gateway; 0 picks a free port.", \.httpPort, 0...65535),
        .int("http.maxImportBytes", "Largest JSONL body accepted by POST /api/v1/import.", \.maxImportBytes, 1024...(1 << 30)),
        .int("http.maxConnectionsPerClient", "Connections one client address may hold at once (trusted proxies are exempt).",
             \.maxConnectionsPerClient, 1...65_536),
        .custom("http.trustedProxies",
                "Reverse proxies (IPv4 addresses or CIDRs; a JSON list, or comma-separated) whose X-Forwarded-For and X-Forwarded-Proto are believed.",
                get: { $0.trustedProxies.joined(separator: ",") },
                set: { (settings, value) throws(ConfigurationError) in
                    let entries = (value as? [Any])?.compactMap { $0 as? String }
                        ?? (value as? String)?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                    guard let entries, (value as? [Any])?.count ?? entries.count == entries.count else {
                        throw ConfigurationError("`http.trustedProxies` must be a list of IPv4 addresses or CIDRs")
                    }
                    for entry in entries where !GatewaySettings.isIPv4Network(entry) {
                        throw ConfigurationError("`http.trustedProxies`: '\(entry.prefix(64))' is not an IPv4 address or CIDR")
                    }
                    settings.trustedProxies = entries
                }),
        .string("auth.jwtSecret", "HS256 key for SmartTicket tokens (SMART_TICKET_JWT_SECRET also works); empty: a random key kept in dataDir/jwt-secret.",
                \.jwtSecret, allowEmpty: true),
        .string("auth.jwksFile", "JWKS (JSON) for RS256 tokens such as Atlassian Forge invocation tokens.", \.jwksFile, allowEmpty: true),
        .string("auth.jwksAudience", "Required `aud` of RS256 tokens (the app id).", \.jwksAudience, allowEmpty: true),
        .string("auth.jwksIssuer", "Required `iss` of RS256 tokens, if any.", \.jwksIssuer, allowEmpty: true),
        .double("auth.maxTokenLifetimeSeconds",
                "Longest validity of a token (exp - iat, or exp - now without iat); longer ones are refused, and token create will not make them.",
                \.maxTokenLifetimeSeconds, 60...(366 * 86_400)),
    ] + OIDCSettings.keys + [
        .string("jira.webhookSecret", "Deprecated: shared secret of Jira webhook signatures, accepted only for tenants without their own (set by `smart-ticket jira connect`), whose deliveries are then fetched from Jira instead of trusted.", \.webhookSecret, allowEmpty: true),
        .double("jira.syncIntervalSeconds", "Seconds between scheduled Jira syncs of every connected tenant; 0 turns the schedule off.",
                \.jiraSyncIntervalSeconds, 0...86_400),
        .double("jira.syncLeaseSeconds",
                "How long the pod running the scheduled Jira sync holds its lease without renewing it: another pod takes the sync over this long after that pod dies (at least two sync intervals). 0: the larger of 60 s and three sync intervals.",
                \.jiraSyncLeaseSeconds, 0...86_400),
        .int("jira.backfillMonths", "Months of resolved Jira tickets the first sync learns from.", \.jiraBackfillMonths, 1...120),
        .double("jira.retryBaseSeconds", "First backoff of a Jira call answered 429/503 without Retry-After (doubles per retry, with jitter).",
                \.jiraRetryBaseSeconds, 0.01...60),
    ]

    /// Whether `text` is an IPv4 address (`10.0.0.1`) or network (`10.0.0.0/8`).
    public static func isIPv4Network(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return false }
        if parts.count == 2 { guard let bits = Int(parts[1]), (0...32).contains(bits), parts[1].count <= 2 else { return false } }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { $0.count <= 3 && !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } && UInt8($0) != nil }
    }
}
