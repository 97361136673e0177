import Foundation
import Synchronization

/// Session ids ended by sign-out, each until the last token its session could hold expires: this gateway refuses them at
/// once. Other gateways learn it through ``Sessions/revokeSession(id:until:)``'s hook into the shared revocation list
/// (see there).
final class SessionRevocations: Sendable {
    private let revoked = Mutex<[String: Double]>([:])
    /// Entries kept at most; the expired ones are dropped first.
    static let capacity = 100_000

    func revoke(_ id: String, until: Double, now: Double = Date().timeIntervalSince1970) {
        revoked.withLock { revoked in
            if revoked.count >= Self.capacity { revoked = revoked.filter { $0.value > now } }
            revoked[id] = until
        }
    }

    func isRevoked(_ id: String, now: Double = Date().timeIntervalSince1970) -> Bool {
        revoked.withLock { revoked in (revoked[id].map { $0 > now }) ?? false }
    }
}
