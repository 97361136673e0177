import Contracts
import Foundation
import Posix
import RPC
import Synchronization

/// Resolves a principal's role in a project from its token and the roles stored for it, caching
/// stored roles for a short time.
final class Authorizer: Sendable {
    private struct Entry {
        let roles: [String: Role]
        let fetched: UInt64
    }

    private let storage: StorageClient
    private let cache = Mutex<[String: Entry]>([:])
    private let ttl: UInt64 = 2_000_000_000

    init(storage: StorageClient) { self.storage = storage }

    /// Every project (or `*`) the principal has a role in, with the highest role for each: the token's and the stored
    /// ones, or for a personal API token (``Principal/isScoped``) the token's alone.
    func roles(of principal: Principal) async throws -> [String: Role] {
        var roles = principal.tokenRoles
        if principal.isScoped { return roles }
        for (project, role) in try await storedRoles(principal) {
            roles[project] = max(roles[project] ?? role, role)
        }
        return roles
    }

    /// The principal's role in `project`, nil for none.
    func role(of principal: Principal, in project: String) async throws -> Role? {
        let roles = try await roles(of: principal)
        return [roles[project], roles["*"]].compactMap { $0 }.max()
    }

    /// Throws 403 unless the principal has at least `minimum` in `project` (404 when it has no role
    /// at all there, so the project's existence is not revealed).
    func require(_ minimum: Role, in project: String, for principal: Principal) async throws {
        guard let role = try await role(of: principal, in: project) else { throw APIError.notFound("project not found") }
        guard role >= minimum else { throw APIError.forbidden("this needs the \(minimum.rawValue) role in \(project)") }
    }

    /// Drops cached roles of `subject` in `tenant` (after a role change).
    func invalidate(tenant: String, subject: String) {
        _ = cache.withLock { $0.removeValue(forKey: "\(tenant)\u{1F}\(subject)") }
    }

    private func storedRoles(_ principal: Principal) async throws -> [String: Role] {
        let key = "\(principal.tenant)\u{1F}\(principal.subject)"
        let now = Monotonic.nanoseconds()
        if let entry = cache.withLock({ $0[key] }), now - entry.fetched < ttl { return entry.roles }
        let list = try await storage.call(StorageContract.listRoles, .init(principal: principal.subject),
                                          metadata: Metadata(tenant: principal.tenant, principal: principal.subject))
        var roles: [String: Role] = [:]
        for item in list.items { roles[item.project] = max(roles[item.project] ?? item.role, item.role) }
        cache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[key] = Entry(roles: roles, fetched: now)
        }
        return roles
    }
}
