import Crypto
import Foundation
import Synchronization

/// The identity provider's signing keys (its JWKS, from `jwks_uri`), kept in memory. A token signed with a key the set
/// does not hold makes it fetch the set again, at most once per ``minimumRefetchInterval``, so a key rotation at the
/// provider works without a restart, and tokens with made-up `kid`s cannot make the gateway hammer the provider.
final class OIDCKeySet: Sendable {
    typealias Fetch = @Sendable () async throws(OIDCFailure) -> Data

    private struct State {
        var keys: [String: RSAPublicKey] = [:]
        /// When the set was last fetched (seconds since 1970), nil before the first time.
        var fetchedAt: Double?
    }

    /// Seconds between two fetches caused by unknown keys.
    let minimumRefetchInterval: Double
    private let fetch: Fetch
    private let state = Mutex(State())

    init(minimumRefetchInterval: Double = 30, fetch: @escaping Fetch) {
        self.minimumRefetchInterval = minimumRefetchInterval
        self.fetch = fetch
    }

    /// The key `kid` names (a token without `kid` may use the set's only key), fetching the set when it is not held.
    func key(for kid: String?, now: Double = Date().timeIntervalSince1970) async throws(OIDCFailure) -> RSAPublicKey {
        let (known, mayFetch) = state.withLock { state in
            (Self.lookup(kid, in: state.keys), state.fetchedAt.map { now - $0 >= minimumRefetchInterval } ?? true)
        }
        if let known { return known }
        guard mayFetch else { throw .refused("ID token signed with an unknown key (kid), and the key set was fetched moments ago") }
        let data = try await fetch()
        guard let keys = JWKS.parse(data) else { throw .provider("the provider's jwks_uri did not answer a JWKS") }
        state.withLock { state in
            state.keys = keys
            state.fetchedAt = now
        }
        guard let key = Self.lookup(kid, in: keys) else { throw .refused("ID token signed with a key (kid) the provider does not publish") }
        return key
    }

    private static func lookup(_ kid: String?, in keys: [String: RSAPublicKey]) -> RSAPublicKey? {
        if let kid { return keys[kid] }
        // OpenID Connect Core 10.1: `kid` may be left out when the set holds one key.
        return keys.count == 1 ? keys.first?.value : nil
    }
}
