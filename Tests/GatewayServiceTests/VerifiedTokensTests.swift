import Crypto
import Foundation
import Model
import Testing
@testable import GatewayService

/// Reusing verifications must not change what is accepted: a cached token still expires on time,
/// is not valid before its `nbf`, and a refused token is never cached.
@Suite struct VerifiedTokensTests {
    let verifier = JWTVerifier(hmac: .init(secret: JWTVerifierTests.secret))
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func token(_ changes: [String: Any?] = [:]) -> String {
        var claims: [String: Any] = ["iss": "smart-ticket", "aud": "smart-ticket", "sub": "carol", "tid": "acme",
                                     "roles": ["ENG": "member"], "iat": 1_800_000_000 - 10, "exp": 1_800_000_000 + 600, "jti": "t1"]
        for (key, value) in changes { claims[key] = value }
        return JWTVerifierTests.token(claims: claims)
    }

    @Test func cachedTokensAnswerTheSamePrincipalAndStillExpire() throws {
        let tokens = VerifiedTokens(verifier: verifier)
        let token = token()
        let expected = try verifier.verify(token, now: now)
        #expect(try tokens.principal(token, now: now) == expected)
        #expect(tokens.count == 1)
        #expect(try tokens.principal(token, now: now.addingTimeInterval(600)) == expected)
        // exp + 60 s leeway is the last valid second, cached or not.
        #expect(try tokens.principal(token, now: now.addingTimeInterval(660)) == expected)
        #expect(throws: AuthError.self) { try tokens.principal(token, now: now.addingTimeInterval(661)) }
        #expect(throws: AuthError.self) { try verifier.verify(token, now: now.addingTimeInterval(661)) }
    }

    @Test func notBeforeIsHonouredForCachedTokens() throws {
        let tokens = VerifiedTokens(verifier: verifier)
        let token = token(["nbf": 1_800_000_000 + 100])
        _ = try tokens.principal(token, now: now.addingTimeInterval(50))   // within the 60 s leeway
        #expect(throws: AuthError.self) { try tokens.principal(token, now: now) }   // 100 s early: refused although cached
    }

    @Test func refusedTokensAreNotCached() throws {
        let tokens = VerifiedTokens(verifier: verifier)
        let forged = JWTVerifierTests.token(claims: ["iss": "smart-ticket", "aud": "smart-ticket", "sub": "carol", "tid": "acme",
                                                     "exp": 1_800_000_000 + 600], key: Array("another key, also 32+ bytes long!!".utf8))
        for _ in 0..<2 { #expect(throws: AuthError.self) { try tokens.principal(forged, now: now) } }
        #expect(throws: AuthError.self) { try tokens.principal(token(["aud": "someone-else"]), now: now) }
        #expect(tokens.count == 0)
    }

    @Test func verificationsAreRepeatedAfterMaxAge() throws {
        let tokens = VerifiedTokens(verifier: verifier)
        let token = token(["exp": 1_800_000_000 + 3600])
        _ = try tokens.principal(token, now: now)
        // Past maxAge the entry is dropped and the token verified again (still valid, so cached again).
        _ = try tokens.principal(token, now: now.addingTimeInterval(VerifiedTokens.maxAge + 1))
        #expect(tokens.count == 1)
    }
}

@Suite struct BearerTokenTests {
    @Test func theSchemeIsCaseInsensitiveAndBlanksAroundTheTokenAreIgnored() {
        #expect(API.bearerToken("Bearer abc.def.ghi") == "abc.def.ghi")
        #expect(API.bearerToken("bEaReR \t abc.def.ghi \t") == "abc.def.ghi")
        #expect(API.bearerToken("bearer x") == "x")
    }

    @Test func otherSchemesAndEmptyTokensAreNotTokens() {
        for header in [nil, "", "Bearer", "Bearer ", "Bearer  \t ", "Basic abc", "Bearerabc.def", "Bearer\tabc", "Token abc.def.ghi",
                       "B\u{0}arer abc"] {
            #expect(API.bearerToken(header) == nil, "\(String(describing: header))")
        }
    }
}
