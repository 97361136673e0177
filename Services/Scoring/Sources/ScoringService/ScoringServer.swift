import Contracts
import Lifecycle
import RPC

/// The scoring service: builds the router that `smart-ticket-scoring` serves.
public enum ScoringServer {
    /// The service for `ServiceRunner`.
    public static func makeService(_ setup: ServiceRunner.Setup) async throws -> ServiceRunner.Service {
        let router = Router()
        return ServiceRunner.Service(router: router)
    }
}
