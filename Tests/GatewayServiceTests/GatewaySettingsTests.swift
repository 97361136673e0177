import Foundation
@testable import GatewayService
import Lifecycle
import Testing

/// The gateway's keys (`http.*`, `auth.*`, `jira.*`), as the launcher and the gateway process load them.
@Suite struct GatewaySettingsTests {
    private func write(_ text: String) -> String {
        let path = NSTemporaryDirectory() + "gateway-config-\(UUID().uuidString).json"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    private func load(_ text: String?, environment: [String: String] = [:],
                      unknownKeys: Configuration.UnknownKeys = .rejectInRegisteredSections) throws(ConfigurationError) -> GatewaySettings {
        let file = text.map(write)
        defer { if let file { try? FileManager.default.removeItem(atPath: file) } }
        return try Configuration.load(file: file, environment: environment, sections: [GatewaySettings.self], unknownKeys: unknownKeys)[GatewaySettings.self]
    }

    @Test func defaults() throws {
        let settings = try load(nil)
        #expect(settings == GatewaySettings())
        #expect(settings.httpHost == "127.0.0.1")
        #expect(settings.httpPort == 8080)
        #expect(settings.maxImportBytes == 64 << 20)
        #expect(settings.maxConnectionsPerClient == 256)
        #expect(settings.trustedProxies.isEmpty)
        #expect(settings.jwtSecret.isEmpty && settings.jwksFile.isEmpty && settings.webhookSecret.isEmpty)
        #expect(settings.jiraSyncIntervalSeconds == 300)
        #expect(settings.jiraBackfillMonths == 6)
        #expect(settings.jiraRetryBaseSeconds == 1)
    }

    @Test func fileThenEnvironmentOverride() throws {
        let text = #"""
            {"http": {"port": 9000, "host": "0.0.0.0", "maxImportBytes": 2048},
             "auth": {"jwksFile": "/etc/jwks.json", "jwksAudience": "app"}, "jira": {"backfillMonths": 12, "syncIntervalSeconds": 0}}
            """#
        let environment = ["SMART_TICKET_HTTP_PORT": "9100", "SMART_TICKET_AUTH_JWKS_ISSUER": "forge",
                           "SMART_TICKET_JIRA_RETRY_BASE_SECONDS": "0.05", "SMART_TICKET_JIRA_WEBHOOK_SECRET": "shh",
                           "SMART_TICKET_HTTP_MAX_CONNECTIONS_PER_CLIENT": "8"]
        let settings = try load(text, environment: environment)
        #expect(settings.httpPort == 9100)
        #expect(settings.httpHost == "0.0.0.0")
        #expect(settings.maxImportBytes == 2048)
        #expect(settings.maxConnectionsPerClient == 8)
        #expect(settings.jwksFile == "/etc/jwks.json")
        #expect(settings.jwksAudience == "app")
        #expect(settings.jwksIssuer == "forge")
        #expect(settings.jiraBackfillMonths == 12)
        #expect(settings.jiraSyncIntervalSeconds == 0)
        #expect(settings.jiraRetryBaseSeconds == 0.05)
        #expect(settings.webhookSecret == "shh")
    }

    @Test func environmentVariablesAreTheDocumentedOnes() {
        #expect(GatewaySettings.keys.map(\.environmentVariable) == [
            "SMART_TICKET_HTTP_HOST", "SMART_TICKET_HTTP_PORT", "SMART_TICKET_HTTP_MAX_IMPORT_BYTES",
            "SMART_TICKET_HTTP_MAX_CONNECTIONS_PER_CLIENT", "SMART_TICKET_HTTP_TRUSTED_PROXIES",
            "SMART_TICKET_AUTH_JWT_SECRET", "SMART_TICKET_AUTH_JWKS_FILE", "SMART_TICKET_AUTH_JWKS_AUDIENCE",
            "SMART_TICKET_AUTH_JWKS_ISSUER", "SMART_TICKET_AUTH_MAX_TOKEN_LIFETIME_SECONDS",
            "SMART_TICKET_AUTH_OIDC_ISSUER", "SMART_TICKET_AUTH_OIDC_CLIENT_ID", "SMART_TICKET_AUTH_OIDC_CLIENT_SECRET_FILE",
            "SMART_TICKET_AUTH_OIDC_TENANT", "SMART_TICKET_AUTH_OIDC_SCOPES", "SMART_TICKET_AUTH_OIDC_GROUPS_CLAIM",
            "SMART_TICKET_AUTH_OIDC_GROUP_ROLES", "SMART_TICKET_AUTH_OIDC_PERSON_CLAIM", "SMART_TICKET_AUTH_OIDC_SESSION_SECONDS",
            "SMART_TICKET_AUTH_OIDC_MAX_SESSION_SECONDS", "SMART_TICKET_AUTH_OIDC_REDIRECT_URL",
            "SMART_TICKET_JIRA_WEBHOOK_SECRET", "SMART_TICKET_JIRA_SYNC_INTERVAL_SECONDS", "SMART_TICKET_JIRA_SYNC_LEASE_SECONDS",
            "SMART_TICKET_JIRA_BACKFILL_MONTHS", "SMART_TICKET_JIRA_RETRY_BASE_SECONDS",
        ])
    }

    @Test(arguments: [
        (#"{"http": {"prot": 80}}"#, "unknown configuration key `http.prot`"),
        (#"{"http": {"port": "eighty"}}"#, "`http.port` must be an integer"),
        (#"{"http": {"port": 70000}}"#, "`http.port` must be between 0 and 65535, got 70000"),
        (#"{"http": {"host": ""}}"#, "`http.host` must be a non-empty string"),
        (#"{"http": {"maxImportBytes": 1}}"#, "`http.maxImportBytes` must be between 1024 and 1073741824, got 1"),
        (#"{"http": {"trustedProxies": "10.0.0.0/33"}}"#, "`http.trustedProxies`: '10.0.0.0/33' is not an IPv4 address or CIDR"),
        (#"{"http": {"trustedProxies": [1]}}"#, "`http.trustedProxies` must be a list of IPv4 addresses or CIDRs"),
        (#"{"auth": {"jwks": "x"}}"#, "unknown configuration key `auth.jwks`"),
        (#"{"auth": {"maxTokenLifetimeSeconds": 59}}"#, "`auth.maxTokenLifetimeSeconds` must be between 60.0 and 31622400.0, got 59.0"),
        (#"{"jira": {"backfillMonths": 0}}"#, "`jira.backfillMonths` must be between 1 and 120, got 0"),
        (#"{"jira": {"retryBaseSeconds": 0}}"#, "`jira.retryBaseSeconds` must be between 0.01 and 60.0, got 0.0"),
        (#"{"jira": {"webhookSecret": 5}}"#, "`jira.webhookSecret` must be a non-empty string"),
    ])
    func badValuesNameTheKey(text: String, expected: String) {
        do {
            _ = try load(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.message == expected)
        }
    }

    @Test func maxTokenLifetimeDefaultsTo30DaysAndIsConfigurable() throws {
        #expect(try load(nil).maxTokenLifetimeSeconds == 30 * 86_400)
        let text = #"{"auth": {"maxTokenLifetimeSeconds": 86400}}"#
        #expect(try load(text).maxTokenLifetimeSeconds == 86_400)
        #expect(try load(text, environment: ["SMART_TICKET_AUTH_MAX_TOKEN_LIFETIME_SECONDS": "3600"]).maxTokenLifetimeSeconds == 3600)
        do {
            _ = try load(nil, environment: ["SMART_TICKET_AUTH_MAX_TOKEN_LIFETIME_SECONDS": "0"])
            Issue.record("a zero lifetime was accepted")
        } catch {
            #expect(error.message.hasPrefix("environment variable SMART_TICKET_AUTH_MAX_TOKEN_LIFETIME_SECONDS: `auth.maxTokenLifetimeSeconds`"))
        }
    }

    /// The gateway process reads the launcher's file: storage's and skills' keys are not its business.
    @Test func theGatewayProcessIgnoresOtherServicesKeys() throws {
        let text = #"{"storage": {"fil": "x"}, "skills": {"cacheTTLSeconds": 0}, "http": {"port": 9000}}"#
        #expect(try load(text).httpPort == 9000)
        do {
            _ = try load(text, unknownKeys: .reject)
            Issue.record("accepted keys of unregistered sections")
        } catch {
            #expect(error.message == "unknown configuration key `skills`")
        }
    }

    @Test func ipv4NetworksAreAddressesOrCIDRs() {
        for good in ["10.0.0.1", "10.0.0.0/8", "0.0.0.0/0", "255.255.255.255/32", "192.168.001.1"] {
            #expect(GatewaySettings.isIPv4Network(good), "\(good)")
        }
        for bad in ["", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0.0/008", "256.0.0.1", "1.2.3", "1.2.3.4.5", "a.b.c.d", "::1", "1.2.3.+4"] {
            #expect(!GatewaySettings.isIPv4Network(bad), "\(bad)")
        }
    }
}

/// Where the token key comes from: the environment, then `auth.jwtSecret`, then `dataDir/jwt-secret`.
@Suite struct JWTSecretTests {
    private func directory() -> String {
        let path = NSTemporaryDirectory() + "jwt-secret-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func theEnvironmentWinsOverTheSettingWhichWinsOverTheFile() throws {
        let dataDir = directory()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        FileManager.default.createFile(atPath: JWTSecret.filePath(dataDir: dataDir), contents: Data("from-the-file-0123456789".utf8))
        var settings = GatewaySettings()
        #expect(try JWTSecret.resolve(settings, dataDir: dataDir, environment: [:], create: false) == Array("from-the-file-0123456789".utf8))
        settings.jwtSecret = "from-the-setting-0123456789"
        #expect(try JWTSecret.resolve(settings, dataDir: dataDir, environment: [:], create: false) == Array("from-the-setting-0123456789".utf8))
        let environment = ["SMART_TICKET_JWT_SECRET": "from-the-environment-0123"]
        #expect(try JWTSecret.resolve(settings, dataDir: dataDir, environment: environment, create: false) == Array("from-the-environment-0123".utf8))
        var configuration = Configuration(sections: [GatewaySettings.self])
        configuration.dataDir = dataDir
        #expect(try JWTSecret.resolve(configuration, environment: [:], create: false) == Array("from-the-file-0123456789".utf8))
    }

    @Test func aMissingKeyIsCreatedOnlyWhenAskedAndThenKept() throws {
        let dataDir = directory() + "/data"
        defer { try? FileManager.default.removeItem(atPath: (dataDir as NSString).deletingLastPathComponent) }
        do {
            _ = try JWTSecret.resolve(GatewaySettings(), dataDir: dataDir, environment: [:], create: false)
            Issue.record("resolved a key that does not exist")
        } catch let error as ConfigurationError {
            #expect(error.message == "no JWT secret: set SMART_TICKET_JWT_SECRET or `auth.jwtSecret`, or start `smart-ticket serve` once to create \(dataDir)/jwt-secret")
        }
        let created = try JWTSecret.resolve(GatewaySettings(), dataDir: dataDir, environment: [:], create: true)
        #expect(created.count == 64)
        let attributes = try FileManager.default.attributesOfItem(atPath: JWTSecret.filePath(dataDir: dataDir))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try JWTSecret.resolve(GatewaySettings(), dataDir: dataDir, environment: [:], create: true) == created)
    }

    @Test func aShortKeyIsRefused() {
        var settings = GatewaySettings()
        settings.jwtSecret = "short"
        do {
            _ = try JWTSecret.resolve(settings, dataDir: "/nonexistent", environment: [:], create: false)
            Issue.record("accepted a 5-byte key")
        } catch let error as ConfigurationError {
            #expect(error.message == "the JWT secret must be at least 16 bytes")
        } catch {
            Issue.record("\(error)")
        }
    }
}
