import Contracts
import Lifecycle
import RPC

/// The storage service: builds the router that `smart-ticket-storage` serves.
public enum StorageServer {
    /// The service for `ServiceRunner`.
    public static func makeService(_ setup: ServiceRunner.Setup) async throws -> ServiceRunner.Service {
        let router = Router()
        return ServiceRunner.Service(router: router)
    }
}
