import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTP
import Synchronization

/// The identity provider as the gateway talks to it: its metadata (OpenID Connect Discovery, read from
/// `{issuer}/.well-known/openid-configuration` on first use and kept), its signing keys (``OIDCKeySet``), and its token
/// and userinfo endpoints. Every call goes through ``OutboundCall`` with a timeout.
final class OIDCProvider: Sendable {
    /// What discovery says (the fields used).
    struct Metadata: Sendable, Equatable {
        var issuer: String
        var authorizationEndpoint: String
        var tokenEndpoint: String
        var jwksURI: String
        var userinfoEndpoint: String?
        var endSessionEndpoint: String?
    }

    /// What the token endpoint answered.
    struct Tokens: Sendable {
        var idToken: String
        var accessToken: String?
    }

    let issuer: String
    let clientID: String
    private let clientSecret: String
    private let session: URLSession
    private let timeout: Double
    private let cached = Mutex<Metadata?>(nil)
    let keys: OIDCKeySet

    init(issuer: String, clientID: String, clientSecret: String, timeout: Double = 10, keyRefetchInterval: Double = 30) {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        let session = URLSession(configuration: configuration)
        self.session = session
        let holder = WeakProvider()
        keys = OIDCKeySet(minimumRefetchInterval: keyRefetchInterval) { () async throws(OIDCFailure) -> Data in
            guard let provider = holder.provider else { throw .provider("provider gone") }
            let metadata = try await provider.metadata()
            return try await provider.get(metadata.jwksURI, what: "jwks_uri")
        }
        holder.provider = self
    }

    /// How the key set's fetch reaches the provider without keeping it alive.
    private final class WeakProvider: @unchecked Sendable {   // set once in the provider's init, before any fetch
        weak var provider: OIDCProvider?
    }

    /// The provider's metadata, read once (again after a failure).
    func metadata() async throws(OIDCFailure) -> Metadata {
        if let metadata = cached.withLock({ $0 }) { return metadata }
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        let data = try await get(base + "/.well-known/openid-configuration", what: "discovery")
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .provider("discovery did not answer a JSON object")
        }
        // OpenID Connect Discovery 4.3: the issuer it states is exactly the one configured.
        guard object["issuer"] as? String == issuer else { throw .provider("discovery names another issuer than auth.oidc.issuer") }
        func endpoint(_ name: String) throws(OIDCFailure) -> String? {
            guard let value = object[name] else { return nil }
            guard let text = value as? String, Self.isAllowedEndpoint(text) else { throw .provider("discovery's \(name) is not an https URL") }
            return text
        }
        guard let authorization = try endpoint("authorization_endpoint"), let token = try endpoint("token_endpoint"),
              let jwks = try endpoint("jwks_uri") else {
            throw .provider("discovery lacks authorization_endpoint, token_endpoint or jwks_uri")
        }
        let metadata = Metadata(issuer: issuer, authorizationEndpoint: authorization, tokenEndpoint: token, jwksURI: jwks,
                                userinfoEndpoint: try endpoint("userinfo_endpoint"), endSessionEndpoint: try endpoint("end_session_endpoint"))
        cached.withLock { $0 = metadata }
        return metadata
    }

    /// Exchanges an authorization code (with the PKCE verifier and the client's secret, HTTP Basic as RFC 6749 2.3.1
    /// says) for tokens. A refused code (used already, expired, another client's) is ``OIDCFailure/refused(_:)``.
    func exchange(code: String, verifier: String, redirectURI: String) async throws(OIDCFailure) -> Tokens {
        let metadata = try await metadata()
        guard let url = URL(string: metadata.tokenEndpoint) else { throw .provider("bad token_endpoint") }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let credentials = Self.formEncoded(clientID) + ":" + Self.formEncoded(clientSecret)
        request.setValue("Basic " + Data(credentials.utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        let form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", verifier)]
        request.httpBody = Data(form.map { "\($0.0)=\(Self.formEncoded($0.1))" }.joined(separator: "&").utf8)
        let answer = try await perform(request, what: "token endpoint")
        let object = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
        guard answer.status == 200 else {
            let error = (object?["error"] as? String).map { String($0.prefix(64)) } ?? "no error code"
            if (400..<500).contains(answer.status) { throw .refused("token endpoint answered \(answer.status) \(error)") }
            throw .provider("token endpoint answered \(answer.status)")
        }
        guard let idToken = object?["id_token"] as? String else { throw .provider("token endpoint answered no id_token") }
        return Tokens(idToken: idToken, accessToken: object?["access_token"] as? String)
    }

    /// The userinfo endpoint's claims for `accessToken`, nil when the provider has none.
    func userinfo(accessToken: String) async throws(OIDCFailure) -> [String: Any]? {
        guard let endpoint = try await metadata().userinfoEndpoint, let url = URL(string: endpoint) else { return nil }
        var request = URLRequest(url: url)
        request.setValue("Bearer " + accessToken, forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let answer = try await perform(request, what: "userinfo")
        guard answer.status == 200, let object = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any] else {
            throw .provider("userinfo answered \(answer.status)")
        }
        return object
    }

    private func get(_ address: String, what: String) async throws(OIDCFailure) -> Data {
        guard let url = URL(string: address) else { throw .provider("bad \(what) URL") }
        var request = URLRequest(url: url)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let answer = try await perform(request, what: what)
        guard answer.status == 200 else { throw .provider("\(what) answered \(answer.status)") }
        return answer.body
    }

    private func perform(_ request: URLRequest, what: String) async throws(OIDCFailure) -> OutboundCall.Answer {
        switch await OutboundCall.perform(request, session: session, timeout: timeout) {
        case .success(let answer):
            guard answer.body.count <= 1 << 20 else { throw .provider("\(what) answered more than 1 MiB") }
            return answer
        case .failure(.timedOut): throw .provider("\(what) did not answer within \(Int(timeout)) s")
        case .failure(.cancelled): throw .provider("\(what) call cancelled")
        case .failure(.transport(let code)): throw .provider("\(what) unreachable (\(code))")
        }
    }

    /// https, or http to a loopback address (a provider on the same machine, as in tests).
    static func isAllowedEndpoint(_ text: String) -> Bool {
        guard let url = URL(string: text), let host = url.host else { return false }
        return url.scheme == "https" || (url.scheme == "http" && OIDCSettings.isLoopback(host))
    }

    /// `application/x-www-form-urlencoded` encoding of one value (also used in URLs' queries).
    static func formEncoded(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.unicodeScalars.map { scalar in
            scalar.isASCII && allowed.contains(scalar) ? String(scalar)
                : String(scalar).utf8.map { String(format: "%%%02X", $0) }.joined()
        }.joined()
    }
}
