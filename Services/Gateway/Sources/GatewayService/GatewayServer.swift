import Contracts
import HTTP
import Foundation
import Lifecycle
import Observability
import RPC

/// The gateway service: the HTTP edge in front of the internal services.
public enum GatewayServer {
    /// The service for `ServiceRunner`: starts the HTTP listener once the RPC socket is up.
    public static func makeService(_ setup: ServiceRunner.Setup) async throws -> ServiceRunner.Service {
        var configuration = setup.configuration
        if let port = setup.arguments["http-port"] { try configuration.set("http.port", port) }
        let settings = configuration[GatewaySettings.self]
        let runDirectory = RunDirectory(path: configuration.runDir)
        let backends = ServiceKind.allCases.filter { $0 != .gateway }.map { kind in
            (kind, RPCClient(service: kind.rawValue, socketPaths: runDirectory.sockets(kind, count: configuration.instances(of: kind)),
                             connectionsPerInstance: configuration.rpcConnectionsPerInstance,
                             defaultTimeout: configuration.rpcTimeoutSeconds, maxFrameSize: configuration.rpcMaxFrameBytes,
                             metrics: setup.metrics, blockingCallers: .waitInPlace,
                             // Scoring and skills keep tenants in memory: each tenant's calls go to one instance.
                             instanceChoice: kind == .storage ? .roundRobin : .byTenant))
        }
        let client = { (kind: ServiceKind) in backends.first { $0.0 == kind }!.1 }
        let storage = StorageClient(client(.storage)), skills = SkillsClient(client(.skills)), scoring = ScoringClient(client(.scoring))
        let metrics = GatewayMetrics(setup.metrics)
        let jira = JiraSyncEngine(storage: storage, scoring: scoring, skills: skills, metrics: metrics,
                                  settings: .init(backfillMonths: settings.jiraBackfillMonths, retryBaseSeconds: settings.jiraRetryBaseSeconds),
                                  logger: setup.logger)
        let sso = try singleSignOn(configuration, storage: storage, logger: setup.logger)
        let api = API(storage: storage, skills: skills, scoring: scoring,
                      verifier: try verifier(configuration), logger: setup.logger, jira: jira, metrics: metrics, sessions: sso?.sessions)
        let webhook = JiraWebhook(assignments: api.assignments, engine: jira, legacySecret: settings.webhookSecret, logger: setup.logger)
        jira.onArrival { [assignments = api.assignments] tickets, metadata in
            if let tenant = metadata.tenant { await assignments.arrived(tickets, tenant: tenant) }
        }
        if !settings.webhookSecret.isEmpty {
            setup.logger.warning("jira.webhookSecret is deprecated: it opens webhooks only for tenants without a secret of their own, "
                                 + "and their deliveries are fetched from Jira instead of trusted; give each tenant its own with "
                                 + "`smart-ticket jira connect --webhook-secret-file`, then remove jira.webhookSecret")
        }
        let routes = Routes(api: api, backends: backends, metrics: setup.metrics, logger: setup.logger,
                            trustedProxies: settings.trustedProxies, webhook: webhook,
                            launcher: FileManager.default.fileExists(atPath: runDirectory.launcherSocket)
                                ? LauncherClient(service: "launcher", socketPaths: [runDirectory.launcherSocket], connectionsPerInstance: 1) : nil,
                            sso: sso)
        let scheduler = JiraScheduler(engine: jira, intervalSeconds: settings.jiraSyncIntervalSeconds, leaseSeconds: settings.jiraSyncLease,
                                      logger: setup.logger)
        var limits = HTTPServer.Limits()
        let importLimit = settings.maxImportBytes
        let defaultLimit = limits.maxBodyBytes
        limits.bodyLimit = { method, path in method == "POST" && path == "/api/v1/import" ? importLimit : defaultLimit }
        limits.maxConnectionsPerClient = settings.maxConnectionsPerClient
        let proxies = ClientAddress.TrustedProxies(settings.trustedProxies)
        limits.isExemptClient = { address in proxies.contains(address) }
        let http = HTTPServer(limits: limits, logger: setup.logger) { request in await routes.handle(request) }
        let host = settings.httpHost
        let port = UInt16(settings.httpPort)
        return ServiceRunner.Service(
            router: jira.router(),
            onStarted: { server in
                scheduler.start()
                let bound = try http.start(host: host, port: port)
                let url = "http://\(host):\(bound)/"
                server.setDetail("url", url)
                setup.logger.info("http listening", ["url": .string(url)])
            },
            onStopping: {
                scheduler.stop()
                routes.beginDraining()
                http.stop()
            })
    }
}

extension GatewayServer {
    /// The token verifier from the configuration: the HS256 key always, a JWKS when configured.
    static func verifier(_ configuration: Configuration) throws -> JWTVerifier {
        let settings = configuration[GatewaySettings.self]
        let secret = try JWTSecret.resolve(settings, dataDir: configuration.dataDir, create: false)
        var rsa: JWTVerifier.RSAKeys?
        if !settings.jwksFile.isEmpty {
            guard !settings.jwksAudience.isEmpty else { throw GatewayError("`auth.jwksAudience` is required with `auth.jwksFile`") }
            rsa = .init(keys: try JWKS.load(path: settings.jwksFile), audience: settings.jwksAudience,
                        issuer: settings.jwksIssuer.isEmpty ? nil : settings.jwksIssuer)
        }
        return JWTVerifier(hmac: .init(secret: secret), rsa: rsa, maxLifetime: settings.maxTokenLifetimeSeconds)
    }

    /// Single sign-on from `auth.oidc.*`, nil when `auth.oidc.issuer` is empty; an incomplete configuration stops the
    /// gateway at start with a message naming the key.
    static func singleSignOn(_ configuration: Configuration, storage: StorageClient, logger: Logger) throws -> SingleSignOn? {
        let settings = configuration[GatewaySettings.self]
        let oidc = settings.oidc
        guard oidc.isEnabled else { return nil }
        try oidc.validate(maxTokenLifetime: settings.maxTokenLifetimeSeconds)
        let secret = try JWTSecret.resolve(settings, dataDir: configuration.dataDir, create: false)
        // Sign-out revokes the session in this gateway at once, and its id in storage's list of revoked tokens, which
        // every gateway of every pod checks on each request (as for any token).
        let sessions = Sessions(secret: secret, tenant: oidc.tenant, lifetime: oidc.sessionSeconds, maxLifetime: oidc.maxSessionSeconds,
                                sharedRevocation: { session, _ in
            let subject = session.principal.subject
            do {
                _ = try await storage.call(StorageContract.revokeToken, .init(id: session.id, by: subject, registerIfMissing: true),
                                           metadata: Metadata(tenant: session.principal.tenant, principal: subject))
            } catch {
                logger.warning("sso sign-out not recorded in storage: other gateways accept the session until it expires",
                               ["error": .string(String(describing: type(of: error)))])
            }
        })
        logger.info("single sign-on", ["issuer": .string(oidc.issuer), "tenant": .string(oidc.tenant), "groups": .int(oidc.groupRoles.mapping.count)])
        return SingleSignOn(settings: oidc, clientSecret: try oidc.readClientSecret(), secret: secret, sessions: sessions,
                            storage: storage, logger: logger)
    }
}
