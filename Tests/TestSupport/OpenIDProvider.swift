import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Harness

/// A real OpenID Connect provider for tests: `oidc-provider-mock` from PyPI (Authlib's authorization server, installed
/// by scripts/install-deps), started by `Tests/Fixtures/oidc/idp.py` on a free port with one registered client (the
/// gateway), nonce and PKCE required, and the given users with their claims. Stopped by ``stop()`` or when released.
public final class OpenIDProvider: @unchecked Sendable {
    public let issuer: String
    public let clientID: String
    public let clientSecret: String
    /// A file holding ``clientSecret`` (for `auth.oidc.clientSecretFile`).
    public let clientSecretFile: String
    private let process: Process
    private let directory: TemporaryDirectory

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/oidc/idp.py").path

    /// Starts the provider with `users` (subject to claims, such as `groups` and `email`); fails with what to install
    /// when the package is missing.
    public init(users: [String: [String: Any]], clientID: String = "smart-ticket", redirectURIs: [String] = [],
                tokenMaxAge: Int = 3600) async throws {
        let check = try await ProcessRunner.run("/usr/bin/env", ["python3", "-c", "import oidc_provider_mock"])
        guard check.status == 0 else {
            throw SystemError("the OpenID Connect provider for the tests is missing (python3 cannot import oidc_provider_mock): "
                              + "run scripts/install-deps, or pip install oidc-provider-mock")
        }
        directory = TemporaryDirectory(prefix: "idp")
        self.clientID = clientID
        clientSecret = "secret-" + UUID().uuidString
        clientSecretFile = directory.file("client-secret")
        try Data(clientSecret.utf8).write(to: URL(fileURLWithPath: clientSecretFile))
        var arguments = [Self.script, "--port", "0", "--client-id", clientID, "--client-secret", clientSecret,
                         "--token-max-age", String(tokenMaxAge)]
        for uri in redirectURIs { arguments += ["--redirect-uri", uri] }
        for (subject, claims) in users.sorted(by: { $0.key < $1.key }) {
            let json = String(decoding: try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]), as: UTF8.self)
            arguments += ["--user", subject, json]
        }
        let output = directory.file("idp.out")
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        _ = FileManager.default.createFile(atPath: directory.file("idp.err"), contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardOutput = FileHandle(forWritingAtPath: output)
        process.standardError = FileHandle(forWritingAtPath: directory.file("idp.err"))
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        var found: String?
        while found == nil, Date() < deadline, process.isRunning {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"listening (http://127\.0\.0\.1:[0-9]+)"#, options: .regularExpression) {
                found = String(text[range].dropFirst("listening ".count))
            } else {
                try await Task.sleep(nanoseconds: 50_000_000)
            }
        }
        guard let found else {
            let log = (try? String(contentsOfFile: directory.file("idp.err"), encoding: .utf8)) ?? ""
            if process.isRunning { process.terminate() }
            throw SystemError("the OpenID Connect provider did not start: \(log.suffix(2000))")
        }
        issuer = found
    }

    /// The provider's log (standard error).
    public var log: String { (try? String(contentsOfFile: directory.file("idp.err"), encoding: .utf8)) ?? "" }

    /// The gateway's `auth.oidc.*` settings for this provider, as environment variables.
    public func environment(tenant: String, groupRoles: String, personClaim: String = "") -> [String: String] {
        ["SMART_TICKET_AUTH_OIDC_ISSUER": issuer, "SMART_TICKET_AUTH_OIDC_CLIENT_ID": clientID,
         "SMART_TICKET_AUTH_OIDC_CLIENT_SECRET_FILE": clientSecretFile, "SMART_TICKET_AUTH_OIDC_TENANT": tenant,
         "SMART_TICKET_AUTH_OIDC_GROUP_ROLES": groupRoles, "SMART_TICKET_AUTH_OIDC_PERSON_CLAIM": personClaim]
    }

    /// Registers the client's redirect URIs (a test learns the gateway's address after it started).
    public func register(redirectURIs: [String]) async throws {
        var request = URLRequest(url: URL(string: issuer + "/test/client")!)
        request.httpMethod = "PUT"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["redirect_uris": redirectURIs])
        let (_, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 204 else { throw SystemError("the provider refused the redirect URIs") }
    }

    /// Signs with a new key (a new `kid`) from now on, as a provider rotating its keys; returns the new `kid`.
    @discardableResult
    public func rotateKey() async throws -> String {
        var request = URLRequest(url: URL(string: issuer + "/test/rotate-key")!)
        request.httpMethod = "POST"
        let (data, _) = try await URLSession.shared.data(for: request)
        return ((try JSONSerialization.jsonObject(with: data)) as? [String: Any])?["kid"] as? String ?? ""
    }

    /// Has the provider sign `subject` out: it posts a logout token signed with its key to `uri` (the gateway's
    /// back-channel logout route); returns the status the gateway answered.
    public func backchannelLogout(subject: String, to uri: String) async throws -> Int {
        var request = URLRequest(url: URL(string: issuer + "/test/backchannel-logout")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["sub": subject, "uri": uri])
        let (data, _) = try await URLSession.shared.data(for: request)
        return ((try JSONSerialization.jsonObject(with: data)) as? [String: Any])?["status"] as? Int ?? 0
    }

    /// Stops the provider: SIGTERM, then SIGKILL after 5 s (a test process may pass on a signal mask that blocks SIGTERM).
    public func stop() {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        directory.remove()
    }

    deinit { stop() }
}
