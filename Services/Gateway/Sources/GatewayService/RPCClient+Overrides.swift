import Contracts
import Foundation
import RPC

extension RPCClient {
    /// Tells every instance of the scoring service at once that `ticket` was reassigned away from `from` (the model
    /// also reads the decision log when it loads a tenant, so the decision must be recorded first). Best effort: the
    /// recorded decision stands even when scoring is down (an instance that failed to learn was told to forget the
    /// tenant and reloads it, with the decision, from storage).
    func learnOverride(ticket: Ticket, from: String, to: String?, at: Date, metadata: Metadata) async {
        try? await TenantLearning(scoring: self, skills: nil).learn([], overrides: [.init(ticket: ticket, from: from, to: to, at: at)],
                                                                   metadata: metadata, timeout: 5)
    }
}
