import Contracts
import Foundation
import GatewayService
import JiraClient
import Lifecycle
import Observability
import RPC

/// `smart-ticket jira connect|sync`: connects a tenant to a Jira Cloud site and syncs it.
enum JiraCommand {
    static let usage = """
        Connect a tenant to Jira Cloud and sync it.

        Usage:
          smart-ticket jira connect --run-dir DIR --tenant T --site URL --email E --token-file F --projects K1,K2 [--webhook-secret-file S]
          smart-ticket jira sync --run-dir DIR --tenant T [--full]

        Run 'smart-ticket jira connect --help' or 'smart-ticket jira sync --help' for their options.

        """

    static let connectSpec = CommandSpec(
        name: "smart-ticket jira connect",
        summary: "Connect a tenant to a Jira site: checks the credentials, the projects and the permissions, then stores the connection (the token stays in its file or variable; only where to find it is stored) and the tenant's own webhook secret. Register https://YOUR-HOST/webhooks/jira?tenant=T in Jira with that secret; only it opens the tenant's deliveries.",
        options: [
            .runDir,
            .tenant("Tenant to connect (created if missing; required)."),
            .init("site", value: "URL", help: "Jira site, e.g. https://your-domain.atlassian.net (required)."),
            .init("email", value: "E", help: "The Jira account's e-mail, for an API token (Basic authentication)."),
            .init("token-file", value: "F", help: "File holding the API token (or OAuth token with --bearer); keep it mode 0600."),
            .init("token-env", value: "VAR", help: "Instead of a file: environment variable holding the token (set for the gateway, and for this command to check it)."),
            .init("bearer", help: "The token is an OAuth 2.0 access token (Bearer) instead of an API token."),
            .init("projects", value: "K1,K2", help: "Project keys to sync (required)."),
            .init("webhook-secret-file", value: "S", help: "File holding this tenant's Jira webhook secret (at least 16 bytes; keep it mode 0600). It is stored with the tenant in the database and replaces the previous one at once. Without it, a tenant that has a secret keeps it, and one that has none gets a new random secret, printed once with the webhook URL to register in Jira."),
            .init("public-url", value: "URL", help: "Where Jira reaches SmartTicket (its reverse proxy), e.g. https://tickets.example.com: only to print the full webhook URL to register (default https://YOUR-HOST)."),
            .init("rotate-webhook-secret", help: "Replace the tenant's webhook secret with a new random one, printed once (deliveries signed with the old one get 401 until Jira has the new one)."),
        ])

    static let syncSpec = CommandSpec(
        name: "smart-ticket jira sync",
        summary: "Sync a connected tenant with Jira now, through the running gateway, and print what changed.",
        options: [
            .runDir,
            .tenant("Tenant to sync (required)."),
            .init("full", help: "Backfill again (resolved tickets of jira.backfillMonths, every open ticket) instead of continuing from the cursor."),
            .quiet,
        ])

    static func run(_ arguments: [String]) async throws -> Int32 {
        switch arguments.first {
        case "connect": return try await connect(Array(arguments.dropFirst()))
        case "sync": return try await sync(Array(arguments.dropFirst()))
        case "--help", "-h", "help": throw UsageError(message: usage, isHelp: true)
        default: throw UsageError(message: usage)
        }
    }

    static func connect(_ arguments: [String]) async throws -> Int32 {
        let parsed = try connectSpec.parse(arguments)
        let tenant = try parsed.require("tenant")
        let site = try parsed.require("site")
        let projects = try parsed.require("projects").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !projects.isEmpty, projects.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else {
            throw UsageError(message: "--projects must be project keys such as ED,OPS")
        }
        let scheme: JiraCredentials.Scheme = parsed.has("bearer") ? .bearer : .basic
        let email = parsed["email"]
        if scheme == .basic && (email ?? "").isEmpty { throw UsageError(message: "--email is required with an API token (or give --bearer)") }
        let tokenFile = parsed["token-file"].map(ServeCommand.absolute)
        let tokenEnv = parsed["token-env"]
        guard (tokenFile == nil) != (tokenEnv == nil) else { throw UsageError(message: "give exactly one of --token-file and --token-env") }
        let webhookSecret = try readWebhookSecret(parsed)
        var publicURL = parsed["public-url"] ?? "https://YOUR-HOST"
        while publicURL.hasSuffix("/") { publicURL.removeLast() }
        guard let components = URLComponents(string: publicURL), ["https", "http"].contains(components.scheme?.lowercased() ?? ""),
              components.host?.isEmpty == false, components.query == nil, components.user == nil else {
            throw UsageError(message: "--public-url must be an http(s) URL such as https://tickets.example.com")
        }
        do {
            _ = try JiraConnection.validateSite(site)
        } catch let error as JiraError {
            throw UsageError(message: "--site: \(error.message)")
        }
        if let tokenFile, let attributes = try? FileManager.default.attributesOfItem(atPath: tokenFile),
           let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
            FileHandle.standardError.write(Data("warning: \(tokenFile) is readable by other users; chmod 600 it\n".utf8))
        }
        var connection = JiraConnection(site: site, email: scheme == .basic ? email : nil, scheme: scheme, tokenFile: tokenFile,
                                        tokenEnv: tokenEnv, projects: projects)
        let client: JiraClient
        do {
            client = JiraClient(site: try connection.siteURL(), credentials: try connection.credentials(), logger: Logger(label: "jira", sink: .discard))
        } catch let error as JiraError {
            throw LauncherError(error.message)
        }
        do {
            let me = try await client.myself()
            connection.accountId = me.accountId
            connection.timeZone = me.timeZone
            let found = try await client.projects(keys: projects)
            let missing = projects.filter { key in !found.contains { $0.key == key } }
            guard missing.isEmpty else { throw LauncherError("Jira has no project \(missing.joined(separator: ", ")) visible to this account") }
            connection.storyPointsField = try await client.storyPointsField()
            print("Jira site \(site): signed in as \(me.displayName) (\(me.accountId))")
            for project in found {
                let permissions = try await client.permissions(["BROWSE_PROJECTS", "ASSIGN_ISSUES"], projectKey: project.key)
                let assign = permissions["ASSIGN_ISSUES"] == true ? "can assign" : "CANNOT assign (recommendations only)"
                print("  project \(project.key) (\(project.name)): \(assign)")
            }
            print("  story points field: \(connection.storyPointsField ?? "none found")")
        } catch let error as JiraError {
            throw LauncherError(error.description)
        }
        let runDirectory = parsed.runDirectory
        try RunningServices.require(.storage, in: runDirectory)
        let storage = StorageClient(service: "storage", socketPaths: runDirectory.sockets(.storage, count: 1), defaultTimeout: 30)
        defer { storage.close() }
        try await JiraRegistry.save(connection, tenant: tenant, storage: storage)
        print("Connected tenant \(tenant). Run 'smart-ticket jira sync --tenant \(tenant)' to sync now; the gateway also syncs on its schedule.")
        let webhookURL = publicURL + "/webhooks/jira?tenant=" + (tenant.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? tenant)
        let existing = try await JiraRegistry.webhookSecret(tenant: tenant, storage: storage)
        if let webhookSecret {
            try await JiraRegistry.saveWebhookSecret(webhookSecret, tenant: tenant, storage: storage)
            print("Webhook secret \(existing == nil ? "stored" : "replaced") from \(parsed["webhook-secret-file"] ?? "the file"). "
                  + "Register \(webhookURL) in Jira (issue created, issue updated) with that secret.")
        } else if existing == nil || parsed.has("rotate-webhook-secret") {
            let generated = JiraRegistry.generateWebhookSecret()
            try await JiraRegistry.saveWebhookSecret(generated, tenant: tenant, storage: storage)
            print("""
                Webhook for tenant \(tenant) (shown once; it is not printed again):
                  URL:    \(webhookURL)
                  events: issue created, issue updated
                  secret: \(generated)
                Set them in Jira (Settings > System > WebHooks); deliveries signed with any other secret get 401.
                """)
        } else {
            print("Webhook secret unchanged (give --webhook-secret-file or --rotate-webhook-secret to replace it). Webhook URL: \(webhookURL)")
        }
        return 0
    }

    /// The secret in `--webhook-secret-file` (trailing newline removed), checked; nil without the option.
    static func readWebhookSecret(_ parsed: ParsedArguments) throws -> String? {
        guard let path = parsed["webhook-secret-file"].map(ServeCommand.absolute) else { return nil }
        if parsed.has("rotate-webhook-secret") { throw UsageError(message: "give either --webhook-secret-file or --rotate-webhook-secret") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsageError(message: "--webhook-secret-file: cannot read \(path)")
        }
        let secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        guard secret.utf8.count >= JiraRegistry.minimumWebhookSecretBytes, !secret.contains(where: \.isNewline) else {
            throw UsageError(message: "--webhook-secret-file: the secret must be one line of at least \(JiraRegistry.minimumWebhookSecretBytes) bytes (for example `openssl rand -hex 32`)")
        }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
           let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
            FileHandle.standardError.write(Data("warning: \(path) is readable by other users; chmod 600 it\n".utf8))
        }
        return secret
    }

    static func sync(_ arguments: [String]) async throws -> Int32 {
        let parsed = try syncSpec.parse(arguments)
        let tenant = try parsed.require("tenant")
        let runDirectory = parsed.runDirectory
        try RunningServices.require(.gateway, in: runDirectory)
        let gateway = GatewayClient(service: "gateway", socketPaths: runDirectory.sockets(.gateway, count: 1), defaultTimeout: 6 * 3600)
        defer { gateway.close() }
        let metadata = Metadata(tenant: tenant, principal: "cli")
        let request = GatewayContract.JiraSyncRequest(full: parsed.has("full") ? true : nil)
        let work = Task { try await gateway.call(GatewayContract.jiraSync, request, metadata: metadata) }
        let quiet = parsed.has("quiet")
        let watcher = Task {
            var bar: ProgressBar?
            var lastLine = ""
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 250_000_000)
                guard !quiet, let status = try? await gateway.call(GatewayContract.jiraSyncStatus, .init(), metadata: metadata, timeout: 5),
                      status.running, status.projectsTotal > 0 else { continue }
                if bar == nil { bar = ProgressBar(total: status.projectsTotal, label: "syncing projects") }
                bar?.update(status.projectsDone)
                let line = "\(status.phase) \(status.project ?? ""): \(status.ticketsSeen) tickets"
                if line != lastLine && isatty(2) == 0 { FileHandle.standardError.write(Data("\(line)\n".utf8)) }
                lastLine = line
            }
            bar?.finish()
        }
        defer { watcher.cancel() }
        let report: GatewayContract.JiraSyncReport
        do {
            report = try await work.value
        } catch let error as RPCError {
            throw LauncherError("sync failed: \(error.message)")
        }
        watcher.cancel()
        print("""
            synced \(report.projects.joined(separator: ",")) \(report.backfill ? "(backfill)" : "(incremental)") in \(String(format: "%.1f", report.seconds)) s
            tickets: \(report.ticketsSeen) seen, \(report.created) new, \(report.updated) updated, \(report.unchanged) unchanged, \(report.rejected) rejected
            people: \(report.people) assignable; reassignments recorded: \(report.reassignments); learned: \(report.learned)
            jira requests: \(report.jiraRequests), retries: \(report.retries), rate limited: \(report.rateLimited)
            """)
        return report.rejected == 0 ? 0 : 1
    }
}
