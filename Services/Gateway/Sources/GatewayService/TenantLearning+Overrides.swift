import Contracts
import Foundation
import RPC
import Workflows

extension TenantLearning {
    /// Tells every instance of the scoring service (its model, which holds people's skill profiles) at once that `ticket`
    /// was reassigned away from `from` (scoring also reads the decision log when it loads a tenant, so the decision must
    /// be recorded first). Best effort: the recorded decision stands even when they are down (an
    /// instance that failed to learn was told to forget the tenant and reloads it, with the decision, from storage).
    func learnOverride(ticket: Ticket, from: String, to: String?, at: Date, metadata: Metadata) async {
        try? await learn([], overrides: [.init(ticket: ticket, from: from, to: to, at: at)], metadata: metadata, timeout: 5)
    }
}
