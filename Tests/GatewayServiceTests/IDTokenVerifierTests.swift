import Crypto
import Foundation
import Synchronization
import Testing
import TestSupport
@testable import GatewayService

/// The ID token checks of single sign-on, with tokens signed by test RSA keys (the `openssl` command): each refusal
/// fails if its check is removed, since every other claim of the refused token is right.
@Suite(.serialized) struct IDTokenVerifierTests {
    static let issuer = "https://idp.example.com"
    static let client = "smart-ticket"
    let key: TestRSAKey
    let other: TestRSAKey
    let verifier = IDTokenVerifier(issuer: issuer, clientID: client)

    init() throws {
        key = try TestRSAKey(kid: "k1")
        other = try TestRSAKey(kid: "k2")
    }

    /// A key set that serves `documents` in turn (the last one again and again) and counts its fetches.
    final class Served: Sendable {
        let documents: Mutex<[String]>
        let fetches = Mutex(0)
        init(_ documents: [String]) { self.documents = Mutex(documents) }
        func keySet(interval: Double = 30) -> OIDCKeySet {
            OIDCKeySet(minimumRefetchInterval: interval) { () async throws(OIDCFailure) -> Data in
                self.fetches.withLock { $0 += 1 }
                return Data(self.documents.withLock { $0.count > 1 ? $0.removeFirst() : $0[0] }.utf8)
            }
        }
    }

    func claims(_ changes: [String: Any] = [:], now: Date = Date()) -> [String: Any] {
        let time = Int(now.timeIntervalSince1970)
        var claims: [String: Any] = ["iss": Self.issuer, "aud": Self.client, "sub": "alice", "nonce": "n-123",
                                     "iat": time, "exp": time + 300, "groups": ["web-devs"]]
        for (name, value) in changes {
            if value is NSNull { claims.removeValue(forKey: name) } else { claims[name] = value }
        }
        return claims
    }

    func refusal(_ token: String, nonce: String = "n-123", keys: OIDCKeySet) async -> OIDCFailure? {
        do {
            _ = try await verifier.verify(token, nonce: nonce, keys: keys)
            return nil
        } catch {
            return error
        }
    }

    @Test func aGoodTokenGivesItsSubjectAndClaims() async throws {
        let keys = Served([try TestRSAKey.jwks([key])]).keySet()
        let token = try await verifier.verify(try key.sign(claims()), nonce: "n-123", keys: keys)
        #expect(token.subject == "alice")
        #expect(IDToken.groups(token.claims["groups"]) == ["web-devs"])
        // Several audiences are fine when `azp` is us.
        let shared = try key.sign(claims(["aud": [Self.client, "other-app"], "azp": Self.client]))
        #expect(try await verifier.verify(shared, nonce: "n-123", keys: keys).subject == "alice")
    }

    @Test func everyWrongClaimIsRefused() async throws {
        let keys = Served([try TestRSAKey.jwks([key])]).keySet()
        let now = Int(Date().timeIntervalSince1970)
        let cases: [(String, [String: Any])] = [
            ("wrong issuer", ["iss": "https://evil.example.com"]),
            ("wrong audience", ["aud": "other-app"]),
            ("wrong or missing azp", ["aud": [Self.client, "other-app"]]),
            ("wrong or missing azp", ["azp": "other-app"]),
            ("ID token expired", ["iat": now - 400, "exp": now - 61]),
            ("missing exp", ["exp": NSNull()]),
            ("missing iat", ["iat": NSNull()]),
            ("ID token issued in the future", ["iat": now + 120]),
            ("ID token issued too long ago", ["iat": now - 3600, "exp": now + 300]),
            ("wrong nonce", ["nonce": "n-456"]),
            ("wrong nonce", ["nonce": NSNull()]),
            ("missing or oversized sub", ["sub": NSNull()]),
        ]
        for (reason, change) in cases {
            #expect(await refusal(try key.sign(claims(change)), keys: keys) == .refused(reason), "\(change)")
        }
        // The same token passes with the right values: each refusal above is its own check's.
        #expect(await refusal(try key.sign(claims()), keys: keys) == nil)
    }

    @Test func logoutTokensAreCheckedAsBackChannelLogoutSays() async throws {
        let keys = Served([try TestRSAKey.jwks([key])]).keySet()
        let now = Int(Date().timeIntervalSince1970)
        func logout(_ changes: [String: Any] = [:]) -> [String: Any] {
            var claims: [String: Any] = ["iss": Self.issuer, "aud": Self.client, "sub": "alice", "iat": now, "jti": "l-1",
                                         "events": [IDTokenVerifier.logoutEvent: [String: Any]()]]
            for (name, value) in changes { if value is NSNull { claims.removeValue(forKey: name) } else { claims[name] = value } }
            return claims
        }
        func refusal(_ token: String) async -> OIDCFailure? {
            do { _ = try await verifier.verifyLogout(token, keys: keys); return nil } catch { return error }
        }
        let named = try await verifier.verifyLogout(try key.sign(logout()), keys: keys)
        #expect(named.subject == "alice" && named.sessionID == nil)
        let bySession = try await verifier.verifyLogout(try key.sign(logout(["sub": NSNull(), "sid": "s-9"])), keys: keys)
        #expect(bySession.subject == nil && bySession.sessionID == "s-9")
        let cases: [(String, [String: Any])] = [
            ("wrong issuer", ["iss": "https://evil.example.com"]),
            ("wrong audience", ["aud": "other-app"]),
            ("missing iat", ["iat": NSNull()]),
            ("logout token issued too long ago", ["iat": now - 3600]),
            ("logout token expired", ["exp": now - 120]),
            ("logout token without jti", ["jti": NSNull()]),
            ("logout token without the logout event", ["events": NSNull()]),
            ("logout token without the logout event", ["events": ["http://schemas.openid.net/event/other": [String: Any]()]]),
            ("logout token with a nonce", ["nonce": "n-123"]),
            ("logout token names neither sub nor sid", ["sub": NSNull()]),
        ]
        for (reason, change) in cases {
            #expect(await refusal(try key.sign(logout(change))) == .refused(reason), "\(change)")
        }
        // An ID token is not a logout token; a token signed by a key the provider does not publish is refused.
        #expect(await refusal(try key.sign(claims())) == .refused("logout token without jti"))
        let stranger = try TestRSAKey(kid: "k1")
        #expect(await refusal(try stranger.sign(logout())) == .refused("bad logout token signature"))
    }

    @Test func signaturesAndAlgorithmsAreChecked() async throws {
        let keys = Served([try TestRSAKey.jwks([key])]).keySet()
        // Signed by another key that claims to be k1.
        let forged = try other.sign(claims(), header: ["alg": "RS256", "kid": "k1"])
        #expect(await refusal(forged, keys: keys) == .refused("bad ID token signature"))
        // A token altered after signing.
        let good = try key.sign(claims())
        let parts = good.split(separator: ".")
        let altered = parts[0] + "." + Base64URLTestHelp.encode(claims(["sub": "mallory"])) + "." + parts[2]
        #expect(await refusal(String(altered), keys: keys) == .refused("bad ID token signature"))
        // `none` and HMAC are never accepted.
        let unsigned = Base64URLTestHelp.encode(["alg": "none"]) + "." + Base64URLTestHelp.encode(claims()) + "."
        #expect(await refusal(unsigned, keys: keys) == .refused("malformed ID token"))
        let hmac = try key.sign(claims(), header: ["alg": "HS256", "kid": "k1"])
        #expect(await refusal(hmac, keys: keys) == .refused("ID token algorithm is not RS256"))
    }

    @Test func anUnknownKidFetchesTheKeysAgainOnceSoRotationWorks() async throws {
        let served = Served([try TestRSAKey.jwks([key]), try TestRSAKey.jwks([other])])
        let keys = served.keySet(interval: 0.5)
        #expect(try await verifier.verify(try key.sign(claims()), nonce: "n-123", keys: keys).subject == "alice")
        #expect(served.fetches.withLock { $0 } == 1)
        // Tokens signed with a key the set holds cost no fetch.
        _ = try await verifier.verify(try key.sign(claims()), nonce: "n-123", keys: keys)
        #expect(served.fetches.withLock { $0 } == 1)
        // The provider rotated to k2: the first k2 token makes the gateway fetch the set again, and passes.
        try await Task.sleep(nanoseconds: 600_000_000)
        #expect(try await verifier.verify(try other.sign(claims()), nonce: "n-123", keys: keys).subject == "alice")
        #expect(served.fetches.withLock { $0 } == 2)
        // A made-up kid right after: refused without another fetch (the set was fetched moments ago).
        let madeUp = try other.sign(claims(), header: ["alg": "RS256", "kid": "k9"])
        #expect(await refusal(madeUp, keys: keys) == .refused("ID token signed with an unknown key (kid), and the key set was fetched moments ago"))
        #expect(served.fetches.withLock { $0 } == 2)
        // Later, it may fetch again; a kid the provider does not publish is still refused.
        try await Task.sleep(nanoseconds: 600_000_000)
        #expect(await refusal(madeUp, keys: keys) == .refused("ID token signed with a key (kid) the provider does not publish"))
        #expect(served.fetches.withLock { $0 } == 3)
    }

    @Test func aTokenWithoutKidUsesTheOnlyKeyOfTheSet() async throws {
        let keys = Served([try TestRSAKey.jwks([key])]).keySet()
        #expect(try await verifier.verify(try key.sign(claims(), header: ["alg": "RS256"]), nonce: "n-123", keys: keys).subject == "alice")
        let two = Served([try TestRSAKey.jwks([key, other])]).keySet(interval: 0)
        #expect(await refusal(try key.sign(claims(), header: ["alg": "RS256"]), keys: two) != nil)
    }

    /// Discovery and the JWKS over HTTP (FakeHTTPServer as the provider's site): a rotated key is fetched from jwks_uri.
    @Test func theProviderReadsDiscoveryAndFetchesRotatedKeys() async throws {
        let site = try FakeHTTPServer()
        defer { site.stop() }
        let issuer = site.baseURL
        let jwks = Mutex(try TestRSAKey.jwks([key]))
        site.setFallback { request in
            switch request.path {
            case "/.well-known/openid-configuration":
                return .init(status: 200, body: #"{"issuer": "\#(issuer)", "authorization_endpoint": "\#(issuer)/authorize", "#
                             + #""token_endpoint": "\#(issuer)/token", "jwks_uri": "\#(issuer)/jwks", "end_session_endpoint": "\#(issuer)/logout"}"#)
            case "/jwks": return .init(status: 200, body: jwks.withLock { $0 })
            default: return .init(status: 404, body: "{}")
            }
        }
        let provider = OIDCProvider(issuer: issuer, clientID: Self.client, clientSecret: "s", keyRefetchInterval: 0)
        #expect(try await provider.metadata().endSessionEndpoint == issuer + "/logout")
        let verifier = IDTokenVerifier(issuer: issuer, clientID: Self.client)
        #expect(try await verifier.verify(try key.sign(claims(["iss": issuer])), nonce: "n-123", keys: provider.keys).subject == "alice")
        jwks.withLock { $0 = (try? TestRSAKey.jwks([other])) ?? "" }
        #expect(try await verifier.verify(try other.sign(claims(["iss": issuer])), nonce: "n-123", keys: provider.keys).subject == "alice")
        // Discovery that names another issuer is refused.
        let wrong = OIDCProvider(issuer: issuer + "/", clientID: Self.client, clientSecret: "s")
        await #expect(throws: OIDCFailure.provider("discovery names another issuer than auth.oidc.issuer")) { try await wrong.metadata() }
    }
}

/// Base64url of a JSON object, for hand-made (unsigned or altered) tokens.
enum Base64URLTestHelp {
    static func encode(_ object: [String: Any]) -> String {
        Crypto.Base64URL.encode((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }
}
