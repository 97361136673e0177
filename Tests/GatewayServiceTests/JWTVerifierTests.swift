import Crypto
import Foundation
import Harness
import Model
import Testing
@testable import GatewayService

@Suite struct JWTVerifierTests {
    static let secret = Array("correct horse battery staple, 32+ bytes long".utf8)
    let verifier = JWTVerifier(hmac: .init(secret: JWTVerifierTests.secret))
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// A token with `header` and `claims`, HMAC-signed with `key`.
    static func token(header: [String: Any] = ["alg": "HS256", "typ": "JWT"], claims: [String: Any], key: [UInt8] = secret) -> String {
        let head = Base64URL.encode(try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        let body = Base64URL.encode(try! JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]))
        let signature = Digest.hmacSHA256(key: key, message: Array("\(head).\(body)".utf8))
        return "\(head).\(body).\(Base64URL.encode(signature))"
    }

    func claims(_ changes: [String: Any?] = [:]) -> [String: Any] {
        var claims: [String: Any] = ["iss": "smart-ticket", "aud": "smart-ticket", "sub": "carol", "tid": "acme",
                                     "roles": ["ENG": "admin", "*": "viewer"], "iat": 1_800_000_000 - 10, "exp": 1_800_000_000 + 3600,
                                     "jti": "5f0c2d8e9a7b4c3d2e1f0a9b8c7d6e5f"]
        for (key, value) in changes { claims[key] = value }
        return claims
    }

    @Test func issuedTokensVerify() throws {
        let token = TokenIssuer.issue(secret: Self.secret, tenant: "acme", subject: "carol", roles: ["ENG": .admin], ttl: 3600,
                                      id: "0123456789abcdef0123456789abcdef", now: now)
        let principal = try verifier.verify(token, now: now)
        #expect(principal == Principal(subject: "carol", tenant: "acme", tokenRoles: ["ENG": .admin], scheme: "hs256",
                                       tokenID: "0123456789abcdef0123456789abcdef"))
        #expect(!principal.isScoped)
    }

    /// Every issued token has its own random 128-bit id (`jti`), read into the principal; its `kind` too.
    @Test func issuedTokensCarryARandomIDAndTheirKind() throws {
        let ids = (0..<200).map { _ in TokenIssuer.newID() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) && JWTVerifier.isTokenID($0) })
        let first = TokenIssuer.issue(secret: Self.secret, tenant: "acme", subject: "carol", roles: [:], ttl: 600, now: now)
        let second = TokenIssuer.issue(secret: Self.secret, tenant: "acme", subject: "carol", roles: [:], ttl: 600, now: now)
        let a = try verifier.verify(first, now: now), b = try verifier.verify(second, now: now)
        #expect(a.tokenID != nil && b.tokenID != nil && a.tokenID != b.tokenID)
        let api = TokenIssuer.issue(secret: Self.secret, tenant: "acme", subject: "carol", roles: ["ENG": .viewer], ttl: 600, kind: "api", now: now)
        let scoped = try verifier.verify(api, now: now)
        #expect(scoped.tokenKind == "api" && scoped.isScoped && scoped.tokenRoles == ["ENG": .viewer])
    }

    /// An HS256 token without an id (made before ids were, or by hand) is refused, saying so in the log's reason; so is a
    /// malformed id. RS256 tokens (Atlassian's) need none.
    @Test func hs256TokensWithoutAnIDAreRefused() throws {
        #expect(throws: AuthError.invalidToken("token has no id (jti): mint a new one")) {
            try verifier.verify(Self.token(claims: claims(["jti": nil])), now: now)
        }
        #expect(throws: AuthError.invalidToken("token has no id (jti): mint a new one")) {
            try verifier.verify(Self.token(claims: claims(["jti": ""])), now: now)
        }
        for bad: Any in ["a b", "../x", String(repeating: "a", count: 101), 42] {
            #expect(throws: AuthError.self, "\(bad)") { try verifier.verify(Self.token(claims: claims(["jti": bad])), now: now) }
        }
        #expect(try verifier.verify(Self.token(claims: claims()), now: now).tokenID == "5f0c2d8e9a7b4c3d2e1f0a9b8c7d6e5f")
    }

    @Test func tokensFromPyJWTVerify() throws {
        let script = """
            import jwt, sys
            print(jwt.encode({"iss": "smart-ticket", "aud": "smart-ticket", "sub": "dave", "tid": "acme", "roles": {"*": "member"},
                              "iat": 1800000000, "exp": 1800003600, "jti": "pyjwt-1"}, sys.argv[1], algorithm="HS256"))
            """
        let result = try ProcessRunner.runBlocking("/usr/bin/env", ["python3", "-c", script, String(decoding: Self.secret, as: UTF8.self)])
        #expect(result.status == 0, "\(result.stderr)")
        let principal = try verifier.verify(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines), now: now)
        #expect(principal.subject == "dave" && principal.tokenRoles == ["*": .member])
    }

    static let badCases = [
        "alg none", "alg None with signature", "wrong key", "expired beyond leeway", "missing exp", "exp not a number",
        "future nbf", "wrong aud", "wrong iss", "no tenant", "bad role", "unknown kid", "RS256 without keys",
        "two segments", "bad base64", "header not JSON", "over 8 KiB", "empty",
    ]

    func badToken(_ name: String) -> String {
        switch name {
        case "alg none":
            let head = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
            return "\(head).\(Base64URL.encode(try! JSONSerialization.data(withJSONObject: claims())))."
        case "alg None with signature": return Self.token(header: ["alg": "None"], claims: claims())
        case "wrong key": return Self.token(claims: claims(), key: Array("another secret".utf8))
        case "expired beyond leeway": return Self.token(claims: claims(["exp": 1_800_000_000 - 61]))
        case "missing exp": return Self.token(claims: claims(["exp": nil]))
        case "exp not a number": return Self.token(claims: claims(["exp": "soon"]))
        case "future nbf": return Self.token(claims: claims(["nbf": 1_800_000_000 + 120]))
        case "wrong aud": return Self.token(claims: claims(["aud": "someone-else"]))
        case "wrong iss": return Self.token(claims: claims(["iss": "evil"]))
        case "no tenant": return Self.token(claims: claims(["tid": nil]))
        case "bad role": return Self.token(claims: claims(["roles": ["ENG": "owner"]]))
        case "unknown kid": return Self.token(header: ["alg": "HS256", "kid": "other"], claims: claims())
        case "RS256 without keys": return Self.token(header: ["alg": "RS256", "kid": "k1"], claims: claims())
        case "two segments": return "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0"
        case "bad base64": return "eyJhbGc*OiJIUzI1NiJ9.e30.c2ln"
        case "header not JSON": return Base64URL.encode(Array("nope".utf8)) + ".e30.c2ln"
        case "over 8 KiB": return Self.token(claims: claims(["pad": String(repeating: "x", count: 9000)]))
        default: return ""
        }
    }

    @Test(arguments: badCases)
    func badTokensAreRefused(name: String) {
        #expect(throws: AuthError.self, "\(name)") { try verifier.verify(badToken(name), now: now) }
    }

    /// RFC 7515 4.1.11: `crit` names extensions that must be understood; this verifier understands none.
    @Test func aCritHeaderIsRefused() throws {
        for crit: [String] in [["exp"], ["b64"], ["http://example.com/ext"], []] {
            let token = Self.token(header: ["alg": "HS256", "typ": "JWT", "crit": crit], claims: claims())
            #expect(throws: AuthError.invalidToken("crit header names extensions this verifier does not understand")) {
                try verifier.verify(token, now: now)
            }
        }
        #expect(try verifier.verify(Self.token(claims: claims()), now: now).subject == "carol")
    }

    /// A token may live at most `maxLifetime` (default 30 days): `exp - iat`, or `exp - now` without `iat`.
    @Test func tokensLivingLongerThanTheMaximumAreRefused() throws {
        let day = 86_400
        let issued = 1_800_000_000 - 10
        #expect(JWTVerifier.defaultMaxLifetime == Double(30 * day) && verifier.maxLifetime == Double(30 * day))
        #expect(try verifier.verify(Self.token(claims: claims(["exp": issued + 30 * day])), now: now).subject == "carol")
        #expect(throws: AuthError.invalidToken("lifetime (exp - iat) longer than the maximum")) {
            try verifier.verify(Self.token(claims: claims(["exp": issued + 30 * day + 1])), now: now)
        }
        // Ten years, as a leaked long-lived token would be.
        #expect(throws: AuthError.self) { try verifier.verify(Self.token(claims: claims(["exp": issued + 3650 * day])), now: now) }
        // Without iat, the time left counts.
        #expect(try verifier.verify(Self.token(claims: claims(["iat": nil, "exp": 1_800_000_000 + 29 * day])), now: now).subject == "carol")
        #expect(throws: AuthError.invalidToken("lifetime (exp - now) longer than the maximum")) {
            try verifier.verify(Self.token(claims: claims(["iat": nil, "exp": 1_800_000_000 + 31 * day])), now: now)
        }
        // Configurable: an hour's maximum refuses a two-hour token.
        let strict = JWTVerifier(hmac: .init(secret: Self.secret), maxLifetime: 3600)
        let twoHours = TokenIssuer.issue(secret: Self.secret, tenant: "acme", subject: "carol", roles: [:], ttl: 7200, now: now)
        #expect(throws: AuthError.self) { try strict.verify(twoHours, now: now) }
        let oneHour = TokenIssuer.issue(secret: Self.secret, tenant: "acme", subject: "carol", roles: [:], ttl: 3600, now: now)
        #expect(try strict.verify(oneHour, now: now).subject == "carol")
    }

    @Test func expiryWithinLeewayIsAccepted() throws {
        let token = Self.token(claims: claims(["exp": 1_800_000_000 - 30]))
        #expect(try verifier.verify(token, now: now).subject == "carol")
    }

    @Test func rs256TokensVerifyAgainstTheJWKSAndHS256WithThePublicKeyIsRefused() throws {
        let key = try RSATestKey()
        let rsaVerifier = JWTVerifier(hmac: .init(secret: Self.secret),
                                      rsa: .init(keys: ["k1": key.publicKey], audience: "ari:cloud:ecosystem::app/1234"))
        let claims: [String: Any] = ["iss": "forge/invocation-token", "aud": "ari:cloud:ecosystem::app/1234", "sub": "557058:abcd",
                                     "exp": 1_800_000_000 + 300, "nbf": 1_800_000_000 - 5, "iat": 1_800_000_000 - 5,
                                     "context": ["cloudId": "cloud-42"]]
        let token = try key.sign(header: ["alg": "RS256", "kid": "k1", "typ": "JWT"], claims: claims)
        let principal = try rsaVerifier.verify(token, now: now)
        #expect(principal == Principal(subject: "557058:abcd", tenant: "cloud-42", tokenRoles: [:], scheme: "rs256"))
        // The classic confusion: HS256 "signed" with the RSA public key bytes as the HMAC secret.
        let forged = Self.token(header: ["alg": "HS256", "kid": "k1"], claims: claims, key: key.publicPEM)
        #expect(throws: AuthError.self) { try rsaVerifier.verify(forged, now: now) }
        let forgedNoKid = Self.token(header: ["alg": "HS256"], claims: claims, key: key.publicPEM)
        #expect(throws: AuthError.self) { try rsaVerifier.verify(forgedNoKid, now: now) }
        // A tampered payload fails the signature.
        let parts = token.split(separator: ".")
        let tampered = parts[0] + "." + Base64URL.encode(try JSONSerialization.data(withJSONObject: claims.merging(["sub": "admin"]) { $1 })) + "." + parts[2]
        #expect(throws: AuthError.self) { try rsaVerifier.verify(String(tampered), now: now) }
    }
}

/// An RSA key pair made with the openssl command line, for signing test tokens.
struct RSATestKey {
    let directory = TemporaryDirectory(prefix: "rsa")
    let publicKey: RSAPublicKey
    let publicPEM: [UInt8]

    init() throws {
        let privatePath = directory.file("key.pem")
        _ = try ProcessRunner.runBlocking("/usr/bin/openssl", ["genrsa", "-out", privatePath, "2048"])
        let modulus = try ProcessRunner.runBlocking("/usr/bin/openssl", ["rsa", "-in", privatePath, "-noout", "-modulus"]).stdout
        let hex = modulus.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "Modulus=", with: "")
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        publicKey = RSAPublicKey(modulus: bytes, exponent: [1, 0, 1])!
        publicPEM = Array(try ProcessRunner.runBlocking("/usr/bin/openssl", ["rsa", "-in", privatePath, "-pubout"]).stdout.utf8)
    }

    func sign(header: [String: Any], claims: [String: Any]) throws -> String {
        let head = Base64URL.encode(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        let body = Base64URL.encode(try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]))
        let input = directory.file("input")
        FileManager.default.createFile(atPath: input, contents: Data("\(head).\(body)".utf8))
        let signatureFile = directory.file("sig")
        _ = try ProcessRunner.runBlocking("/usr/bin/openssl", ["dgst", "-sha256", "-sign", directory.file("key.pem"), "-out", signatureFile, input])
        let signature = try Data(contentsOf: URL(fileURLWithPath: signatureFile))
        return "\(head).\(body).\(Base64URL.encode(signature))"
    }
}
