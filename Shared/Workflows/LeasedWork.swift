import Contracts
import Foundation

/// Work that runs in one process at a time across every pod sharing a database: before each round the process takes
/// or renews the work's lease (``StorageContract/acquireLease``), and does the round only if it holds it. A process
/// that dies stops renewing, so another takes over once the lease expires (`seconds` after its last renewal).
public struct LeasedWork: Sendable {
    /// This process, as a lease holder: host name, process id and a random part (a restarted process is a new holder).
    public static let processHolder: String = {
        let host = ProcessInfo.processInfo.hostName.prefix(100)
        return "\(host)/\(getpid())/\(UUID().uuidString.prefix(8).lowercased())"
    }()

    public let name: String
    public let seconds: Double
    private let acquire: @Sendable (StorageContract.LeaseRequest) async throws -> StorageContract.Lease

    /// The lease `name`, held `seconds` from each renewal, taken through `acquire` (storage's method, or the store
    /// itself inside storage).
    public init(name: String, seconds: Double,
                acquire: @escaping @Sendable (StorageContract.LeaseRequest) async throws -> StorageContract.Lease) {
        self.name = name
        self.seconds = seconds
        self.acquire = acquire
    }

    /// The lease `name` taken through storage's RPC.
    public init(name: String, seconds: Double, storage: StorageClient) {
        self.init(name: name, seconds: seconds) { request in try await storage.call(StorageContract.acquireLease, request) }
    }

    /// Takes or renews the lease; false when another process holds it or storage cannot be asked.
    public func renew() async -> Bool {
        (try? await acquire(.init(name: name, holder: Self.processHolder, seconds: seconds)))?.held ?? false
    }
}
