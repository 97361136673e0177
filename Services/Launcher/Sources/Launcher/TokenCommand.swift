import Contracts
import Foundation
import GatewayService
import Lifecycle

/// `smart-ticket token create`: mints an HS256 token for the API.
enum TokenCommand {
    static let spec = CommandSpec(
        name: "smart-ticket token create", summary: "Create an API token (HS256 JWT) for a subject in a tenant.",
        options: [
            .tenant("Tenant (required)."),
            .init("subject", value: "S", help: "Subject: the user or tool the token speaks for (required)."),
            .init("role", value: "ROLE", help: "viewer, member or admin (default member)."),
            .init("project", value: "KEY", help: "Project the role applies to; repeatable as KEY1,KEY2; default * (every project)."),
            .init("ttl", value: "DURATION", help: "Lifetime, e.g. 30m, 8h, 7d (default 8h)."),
            .config("Configuration file (for auth.jwtSecret and dataDir)."),
            .dataDir("Data directory holding jwt-secret (default ./data)."),
        ])

    static func run(_ arguments: [String]) async throws -> Int32 {
        let parsed = try spec.parse(subcommand: arguments, synopsis: "--tenant T --subject S [--role ROLE] [--project KEY] [--ttl 8h]")
        let tenant = try parsed.require("tenant")
        let subject = try parsed.require("subject")
        guard let role = Role(rawValue: parsed["role"] ?? "member") else { throw UsageError(message: "--role must be viewer, member or admin") }
        let ttl = try duration(parsed["ttl"] ?? "8h")
        var configuration = try LauncherCLI.loadConfiguration(file: parsed["config"])
        let maxLifetime = configuration[GatewaySettings.self].maxTokenLifetimeSeconds
        guard ttl <= maxLifetime else {
            throw UsageError(message: "--ttl is longer than auth.maxTokenLifetimeSeconds (\(Int(maxLifetime)) s, "
                                      + "\(Int(maxLifetime / 86_400)) days); the gateway would refuse the token. "
                                      + "Ask for a shorter --ttl or raise the setting")
        }
        if let dataDir = parsed["data-dir"] { try configuration.set("dataDir", dataDir) }
        let secret = try JWTSecret.resolve(configuration, create: false)
        let projects = (parsed["project"] ?? "*").split(separator: ",").map(String.init)
        let roles = Dictionary(uniqueKeysWithValues: projects.map { ($0, role) })
        print(TokenIssuer.issue(secret: secret, tenant: tenant, subject: subject, roles: roles, ttl: ttl))
        return 0
    }

    /// Seconds in `30s`, `30m`, `8h`, `7d`.
    static func duration(_ text: String) throws -> Double {
        guard let unit = text.last, let value = Double(text.dropLast()), value > 0 else {
            throw UsageError(message: "--ttl must look like 30m, 8h or 7d")
        }
        switch unit {
        case "s": return value
        case "m": return value * 60
        case "h": return value * 3600
        case "d": return value * 86_400
        default: throw UsageError(message: "--ttl must look like 30m, 8h or 7d")
        }
    }
}
