import Contracts
import Lifecycle
import RPC

/// The skills service: builds the router that `smart-ticket-skills` serves.
public enum SkillsServer {
    /// The service for `ServiceRunner`.
    public static func makeService(_ setup: ServiceRunner.Setup) async throws -> ServiceRunner.Service {
        let router = Router()
        return ServiceRunner.Service(router: router)
    }
}
