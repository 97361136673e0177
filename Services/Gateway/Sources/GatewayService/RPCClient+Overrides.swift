import Contracts
import Foundation
import RPC

extension RPCClient {
    /// Tells the scoring service at once that `ticket` was reassigned away from `from` (the model also
    /// reads the decision log when it loads a tenant). Best effort: the recorded decision stands even
    /// when scoring is down.
    func learnOverride(ticket: Ticket, from: String, to: String?, at: Date, metadata: Metadata) async {
        _ = try? await call(ScoringContract.learn, .init(tickets: [], overrides: [.init(ticket: ticket, from: from, to: to, at: at)]),
                            metadata: metadata, timeout: 5)
    }
}
