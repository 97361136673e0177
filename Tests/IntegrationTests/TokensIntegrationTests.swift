import Foundation
import Harness
import Testing

/// Personal API tokens through the real system: made with a scope no higher than their maker's and a capped lifetime,
/// listed without the tokens themselves, revoked by their owner or a `*` admin (someone else's is not found), refused
/// from the next request on (the token in use too), audited; and the command line's `token create|list|revoke`.
@Suite struct TokensIntegrationTests {
    typealias Client = GatewayIntegrationTests.Client

    func cli(_ arguments: [String]) async throws -> CommandResult {
        try await ProcessRunner.run(Executables.path("smart-ticket"), arguments)
    }

    func token(_ system: RunningSystem, subject: String, role: String, project: String = "*") async throws -> String {
        let result = try await cli(["token", "create", "--data-dir", system.directory.file("data"), "--tenant", "demo", "--subject", subject,
                                    "--role", role, "--project", project, "--ttl", "1h"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("token id: "), "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func create(_ api: Client, _ token: String, _ body: String) async throws -> (Int, [String: Any]) {
        try await api.call("POST", "/api/v1/tokens", token: token, body: body)
    }

    @Test func scopedTokensAreMadeListedAndRevokedAtOnce() async throws {
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-pristine", "--demo-data", GatewayIntegrationTests.demo])
        defer { system.directory.remove() }
        let api = Client(base: try #require(system.url))
        let admin = try await token(system, subject: "root", role: "admin")
        let mia = try await token(system, subject: "mia", role: "member", project: "ZK")
        let vic = try await token(system, subject: "vic", role: "viewer", project: "ZK")

        // The scope is capped by the maker's own roles: 403 naming the project.
        let (tooHigh, refusal) = try await create(api, mia, #"{"name": "ci", "ttl": "1h", "roles": {"ZK": "admin"}}"#)
        #expect(tooHigh == 403 && "\(refusal)".contains("`ZK`"), "\(refusal)")
        let (everywhere, _) = try await create(api, mia, #"{"name": "ci", "ttl": "1h", "roles": {"*": "viewer"}}"#)
        #expect(everywhere == 403)
        let (elsewhere, other) = try await create(api, mia, #"{"name": "ci", "ttl": "1h", "roles": {"OTHER": "viewer"}}"#)
        #expect(elsewhere == 403 && "\(other)".contains("`OTHER`"), "\(other)")
        // The lifetime is capped by auth.maxTokenLifetimeSeconds: 400 saying so; and it must be given.
        let (tooLong, long) = try await create(api, mia, #"{"name": "ci", "expiresIn": 2678400, "roles": {"ZK": "viewer"}}"#)
        #expect(tooLong == 400 && "\(long)".contains("auth.maxTokenLifetimeSeconds"), "\(long)")
        #expect(try await create(api, mia, #"{"name": "ci", "roles": {"ZK": "viewer"}}"#).0 == 400)
        #expect(try await create(api, mia, #"{"name": "ci", "ttl": "soon", "roles": {"ZK": "viewer"}}"#).0 == 400)
        #expect(try await create(api, mia, #"{"name": "ci", "ttl": "1h", "roles": {"ZK": "boss"}}"#).0 == 400)
        #expect(try await create(api, mia, #"{"name": "ci", "ttl": "1h", "roles": {"ZK": "viewer"}, "extra": 1}"#).0 == 400)

        // Within the cap: 201 with the token, shown once; it speaks with its scope only.
        let (made, answer) = try await create(api, mia, #"{"name": "grafana", "expiresIn": 3600, "roles": {"ZK": "viewer"}}"#)
        #expect(made == 201, "\(answer)")
        let scoped = try #require(answer["token"] as? String)
        let scopedID = try #require(answer["id"] as? String)
        #expect(answer["name"] as? String == "grafana" && (answer["roles"] as? [String: String]) == ["ZK": "viewer"] && answer["expiresAt"] is String)
        let (_, projects) = try await api.call("GET", "/api/v1/projects", token: scoped)
        #expect((projects["items"] as? [[String: Any]])?.map { $0["role"] as? String } == ["viewer"], "\(projects)")
        #expect(try await api.call("GET", "/api/v1/tickets?project=ZK&limit=1", token: scoped).0 == 200)
        #expect(try await api.call("POST", "/api/v1/tickets/ZK-1/recommendations", token: scoped).0 == 403)

        // Lists: one's own (never the token itself); a viewer cannot list others'; a `*` admin lists everyone's.
        let (_, own) = try await api.call("GET", "/api/v1/tokens", token: mia)
        let ownItems = try #require(own["items"] as? [[String: Any]])
        #expect(ownItems.map { $0["id"] as? String } == [scopedID] && ownItems[0]["owner"] as? String == "mia" && ownItems[0]["kind"] as? String == "api")
        #expect(ownItems[0]["token"] == nil && !"\(own)".contains(scoped))
        #expect(try await api.call("GET", "/api/v1/tokens?owner=mia", token: vic).0 == 403)
        let (_, vics) = try await api.call("GET", "/api/v1/tokens", token: vic)
        #expect((vics["items"] as? [Any])?.isEmpty == true)
        let (_, everyone) = try await api.call("GET", "/api/v1/tokens?owner=mia", token: admin)
        #expect((everyone["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [scopedID])

        // Someone else's token is not found (its existence is not revealed); nor is an unknown id.
        #expect(try await api.call("DELETE", "/api/v1/tokens/\(scopedID)", token: vic).0 == 404)
        #expect(try await api.call("DELETE", "/api/v1/tokens/0123456789abcdef0123456789abcdef", token: mia).0 == 404)
        #expect(try await api.call("GET", "/api/v1/tickets?project=ZK&limit=1", token: scoped).0 == 200)

        // Its owner revokes it: the very next request with it is refused, and the log says why.
        #expect(try await api.call("DELETE", "/api/v1/tokens/\(scopedID)", token: mia).0 == 204)
        let (refused, body) = try await api.call("GET", "/api/v1/tickets?project=ZK&limit=1", token: scoped)
        #expect(refused == 401 && (body["error"] as? [String: Any])?["code"] as? String == "UNAUTHENTICATED")
        #expect(system.log.contains(#""reason":"revoked""#))
        #expect(try await api.call("DELETE", "/api/v1/tokens/\(scopedID)", token: mia).0 == 204)   // idempotent
        let (_, listed) = try await api.call("GET", "/api/v1/tokens", token: mia)
        #expect((listed["items"] as? [[String: Any]])?.first?["revokedBy"] as? String == "mia")

        // Revoking the token one is using works, and that token's next request fails.
        let (_, selfMade) = try await create(api, mia, #"{"name": "self", "ttl": "10m", "roles": {"ZK": "member"}}"#)
        let selfToken = try #require(selfMade["token"] as? String), selfID = try #require(selfMade["id"] as? String)
        let (_, mine) = try await api.call("GET", "/api/v1/tokens", token: selfToken)
        #expect((mine["items"] as? [[String: Any]])?.first { $0["id"] as? String == selfID }?["current"] as? Bool == true)
        #expect(try await api.call("DELETE", "/api/v1/tokens/\(selfID)", token: selfToken).0 == 204)
        #expect(try await api.call("GET", "/api/v1/tokens", token: selfToken).0 == 401)

        // A `*` admin revokes anyone's; the audit has both ends of each token, without the token.
        let (_, third) = try await create(api, mia, #"{"name": "third", "ttl": "1h", "roles": {"ZK": "viewer"}}"#)
        let thirdID = try #require(third["id"] as? String)
        #expect(try await api.call("DELETE", "/api/v1/tokens/\(thirdID)", token: admin).0 == 204)
        #expect(try await api.call("GET", "/api/v1/projects", token: try #require(third["token"] as? String)).0 == 401)
        let (_, audit) = try await api.call("GET", "/api/v1/audit?kind=token&limit=50", token: admin)
        let entries = try #require(audit["items"] as? [[String: Any]])
        #expect(entries.filter { $0["target"] as? String == thirdID }.count == 2, "\(entries)")
        #expect(entries.first { $0["target"] as? String == thirdID }?["actor"] as? String == "root")
        #expect(!"\(audit)".contains(scoped) && !"\(audit)".contains(selfToken))
    }

    @Test func theCommandLineRegistersListsAndRevokes() async throws {
        let system = try await RunningSystem(extraArguments: ["--demo", "--demo-pristine", "--demo-data", GatewayIntegrationTests.demo])
        defer { system.directory.remove() }
        let api = Client(base: try #require(system.url))
        let runDir = system.runDirectory.path
        let made = try await cli(["token", "create", "--data-dir", system.directory.file("data"), "--run-dir", runDir, "--tenant", "demo",
                                  "--subject", "ops", "--role", "viewer", "--project", "ZK", "--ttl", "1h", "--name", "nightly"])
        #expect(made.status == 0, "\(made.stderr)")
        let token = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let id = try #require(made.stderr.firstMatch(of: /token id: ([0-9a-f]{32})/)?.output.1).description
        #expect(try await api.call("GET", "/api/v1/tickets?project=ZK&limit=1", token: token).0 == 200)
        let listed = try await cli(["token", "list", "--run-dir", runDir, "--tenant", "demo"])
        #expect(listed.status == 0 && listed.stdout.contains(id) && listed.stdout.contains("name=nightly") && listed.stdout.contains("cli")
                && listed.stdout.contains("live"), "\(listed.stdout)")
        #expect(!listed.stdout.contains(token))
        let (_, own) = try await api.call("GET", "/api/v1/tokens", token: token)
        #expect((own["items"] as? [[String: Any]])?.first?["kind"] as? String == "cli")

        let revoked = try await cli(["token", "revoke", "--run-dir", runDir, "--tenant", "demo", "--id", id])
        #expect(revoked.status == 0 && revoked.stdout.contains("revoked token \(id)"), "\(revoked.stdout) \(revoked.stderr)")
        #expect(try await api.call("GET", "/api/v1/tickets?project=ZK&limit=1", token: token).0 == 401)
        let after = try await cli(["token", "list", "--run-dir", runDir, "--tenant", "demo", "--owner", "ops"])
        #expect(after.stdout.contains("revoked") && after.stdout.contains("by cli"), "\(after.stdout)")

        // A token made offline (no --run-dir) is not listed, works, and is revoked by its id all the same.
        let offline = try await cli(["token", "create", "--data-dir", system.directory.file("data"), "--tenant", "demo",
                                     "--subject", "ops", "--role", "viewer", "--ttl", "1h"])
        let offlineToken = offline.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let offlineID = try #require(offline.stderr.firstMatch(of: /token id: ([0-9a-f]{32})/)?.output.1).description
        #expect(offline.stderr.contains("not registered"))
        #expect(try await api.call("GET", "/api/v1/projects", token: offlineToken).0 == 200)
        #expect(try await cli(["token", "revoke", "--run-dir", runDir, "--tenant", "demo", "--id", offlineID]).status == 0)
        #expect(try await api.call("GET", "/api/v1/projects", token: offlineToken).0 == 401)
        let bad = try await cli(["token", "revoke", "--run-dir", runDir, "--tenant", "demo", "--id", "not/an id"])
        #expect(bad.status != 0 && bad.stderr.contains("--id"), "\(bad.stderr)")
    }

    /// An HS256 token without an id, as every token made before this version, is refused.
    @Test func tokensWithoutAnIDAreRefused() async throws {
        let system = try await RunningSystem()
        defer { system.directory.remove() }
        let api = Client(base: try #require(system.url))
        let secret = try String(contentsOfFile: system.directory.file("data/jwt-secret"), encoding: .utf8)
        let script = """
            import jwt, sys, time
            now = int(time.time())
            print(jwt.encode({"iss": "smart-ticket", "aud": "smart-ticket", "sub": "old", "tid": "acme", "roles": {"*": "admin"},
                              "iat": now, "exp": now + 600}, sys.argv[1], algorithm="HS256"))
            """
        let old = try await ProcessRunner.run("/usr/bin/env", ["python3", "-c", script, secret])
        #expect(old.status == 0, "\(old.stderr)")
        #expect(try await api.call("GET", "/api/v1/projects", token: old.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).0 == 401)
        #expect(system.log.contains("token has no id (jti): mint a new one"))
    }
}
