import Contracts
import Foundation
import GatewayService
import Lifecycle

/// `smart-ticket token create|list|revoke`: mints an HS256 token for the API (with an id, registered with a running
/// system when `--run-dir` is given), lists a tenant's tokens, and revokes one by id (at once, in every gateway).
enum TokenCommand {
    static let usage = """
        Create, list and revoke API tokens.

        Usage:
          smart-ticket token create --tenant T --subject S [--role ROLE] [--project KEY] [--ttl 8h] [--run-dir DIR --name N]
          smart-ticket token list --run-dir DIR --tenant T [--owner S]
          smart-ticket token revoke --run-dir DIR --tenant T --id ID

        Run 'smart-ticket token create --help' for every option.
        'smart-ticket token list --help' and 'smart-ticket token revoke --help' list theirs.

        """

    static let spec = CommandSpec(
        name: "smart-ticket token create",
        summary: "Create an API token (HS256 JWT with an id) for a subject in a tenant: the token on standard output, its id on standard error. With --run-dir it is registered with the running system (kind cli), so it is listed; either way `token revoke --id` revokes it.",
        options: [
            .tenant("Tenant (required)."),
            .init("subject", value: "S", help: "Subject: the user or tool the token speaks for (required)."),
            .init("role", value: "ROLE", help: "viewer, member or admin (default member)."),
            .init("project", value: "KEY", help: "Project the role applies to; repeatable as KEY1,KEY2; default * (every project)."),
            .init("ttl", value: "DURATION", help: "Lifetime, e.g. 30m, 8h, 7d (default 8h)."),
            .init("name", value: "N", help: "Name the token is listed by (default cli)."),
            .init("run-dir", value: "DIR", help: "Run directory of the running system to register the token with (default: not registered)."),
            .config("Configuration file (for auth.jwtSecret and dataDir)."),
            .dataDir("Data directory holding jwt-secret (default ./data)."),
        ])

    static func run(_ arguments: [String]) async throws -> Int32 {
        switch arguments.first {
        case "create": return try await create(arguments)
        case "list": return try await list(Array(arguments.dropFirst()))
        case "revoke": return try await revoke(Array(arguments.dropFirst()))
        case "--help", "-h", "help": throw UsageError(message: usage, isHelp: true)
        default: throw UsageError(message: usage)
        }
    }

    static func create(_ arguments: [String]) async throws -> Int32 {
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
        let name = parsed["name"] ?? "cli"
        guard TokenIssuer.isValidName(name) else {
            throw UsageError(message: "--name must be 1 to 200 bytes without control characters")
        }
        if let dataDir = parsed["data-dir"] { try configuration.set("dataDir", dataDir) }
        let secret = try JWTSecret.resolve(configuration, create: false)
        let projects = (parsed["project"] ?? "*").split(separator: ",").map(String.init)
        let roles = Dictionary(uniqueKeysWithValues: projects.map { ($0, role) })
        let minted = TokenRegistry.mint(secret: secret, tenant: tenant, owner: subject, name: name, kind: .cli, roles: roles, ttl: ttl)
        if parsed["run-dir"] != nil {
            // Registered before it is shown: a token that is printed is listed.
            try await register(minted.record, tenant: tenant, runDirectory: parsed.runDirectory)
        }
        print(minted.token)
        FileHandle.standardError.write(Data("token id: \(minted.record.id)\n".utf8))
        if parsed["run-dir"] == nil {
            FileHandle.standardError.write(Data(("not registered (no --run-dir): it works all the same, is not listed, and "
                + "`smart-ticket token revoke --run-dir DIR --tenant \(tenant) --id \(minted.record.id)` revokes it\n").utf8))
        }
        return 0
    }

    /// Seconds in `30s`, `30m`, `8h`, `7d`.
    static func duration(_ text: String) throws -> Double {
        guard let seconds = TokenIssuer.seconds(of: text) else { throw UsageError(message: "--ttl must look like 30m, 8h or 7d") }
        return seconds
    }
}
