import Foundation
import Synchronization

/// Tokens that verified recently, by the whole token, so a client sending the same bearer token on
/// every request pays for signature and claims checks once (at most every ``maxAge`` seconds).
///
/// A cached token is answered only inside its own validity period (`nbf` to `exp`, with the
/// verifier's leeway), so it expires exactly as an uncached one would; refused tokens are never
/// cached. The verifier's keys are fixed for the life of the process, so a verification cannot go
/// stale otherwise.
final class VerifiedTokens: Sendable {
    private struct Entry {
        let verified: JWTVerifier.Verified
        /// Re-verify after this (seconds since 1970).
        let recheckAt: Double
    }

    /// Seconds a verification is reused at most.
    static let maxAge: Double = 300
    /// Entries kept at most; the cache starts over when full.
    static let capacity = 10_000

    private let verifier: JWTVerifier
    private let entries = Mutex<[String: Entry]>([:])

    init(verifier: JWTVerifier) { self.verifier = verifier }

    /// The token's principal: from the cache while valid, verified otherwise.
    func principal(_ token: String, now: Date = Date()) throws(AuthError) -> Principal {
        let time = now.timeIntervalSince1970
        if let entry = entries.withLock({ $0[token] }) {
            if time < entry.recheckAt, time >= entry.verified.validFrom, time <= entry.verified.validUntil {
                return entry.verified.principal
            }
            _ = entries.withLock { $0.removeValue(forKey: token) }
        }
        let verified = try verifier.verified(token, now: now)
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll() }
            entries[token] = Entry(verified: verified, recheckAt: time + Self.maxAge)
        }
        return verified.principal
    }

    /// Tokens cached (for tests).
    var count: Int { entries.withLock { $0.count } }
}
