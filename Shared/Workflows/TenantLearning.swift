import Contracts
import RPC

/// Tells the services that keep a memory of each tenant learned from storage (scoring's history model, skills'
/// learned vocabulary) about a change, on every instance of each, and waits for them: the very next call, whichever
/// instance answers it, knows the change.
///
/// Every change is in storage before it is sent here, and an instance loads a tenant from storage when it first
/// needs it, so an instance that is not running is skipped (its next process starts empty) and one that has not
/// loaded the tenant ignores the change. A running instance that fails to learn is told to forget the tenant (it
/// then reloads it from storage on its next use); only when that fails too is the error thrown.
public struct TenantLearning: Sendable {
    public let scoring: ScoringClient?
    public let skills: SkillsClient?

    public init(scoring: ScoringClient?, skills: SkillsClient?) {
        self.scoring = scoring
        self.skills = skills
    }

    /// Teaches every instance the resolved tickets among `tickets` (scoring learns the assigned ones, the skills service's
    /// vocabulary all of them) and `overrides` (scoring's model learns them: who has which skills is scoring's).
    public func learn(_ tickets: [Ticket], overrides: [ScoringContract.Override] = [], metadata: Metadata,
                      timeout: Double? = nil) async throws {
        let resolved = tickets.filter { $0.resolved != nil }
        let assigned = resolved.filter { $0.assignee != nil }
        async let scored: Void = assigned.isEmpty && overrides.isEmpty ? () : Self.send(
            ScoringContract.learn, .init(tickets: assigned, overrides: overrides.isEmpty ? nil : overrides), to: scoring,
            orForget: ScoringContract.reset, metadata: metadata, timeout: timeout)
        async let skilled: Void = resolved.isEmpty ? () : Self.send(
            SkillsContract.learn, .init(tickets: resolved), to: skills,
            orForget: SkillsContract.reset, metadata: metadata, timeout: timeout)
        try await scored
        try await skilled
    }

    /// Makes every instance forget the tenant (after storage purged it): a tenant created again with the same name starts empty.
    public func forget(metadata: Metadata, timeout: Double? = nil) async throws {
        async let scored: Void = Self.send(ScoringContract.reset, .init(), to: scoring, orForget: nil, metadata: metadata, timeout: timeout)
        async let skilled: Void = Self.send(SkillsContract.reset, .init(), to: skills, orForget: nil, metadata: metadata, timeout: timeout)
        try await scored
        try await skilled
    }

    /// Makes every skills instance reload the tenant from storage (its custom skills changed there).
    public func reloadSkills(metadata: Metadata, timeout: Double? = nil) async throws {
        try await Self.send(SkillsContract.reset, .init(), to: skills, orForget: nil, metadata: metadata, timeout: timeout)
    }

    /// Sends `request` to every instance of `client`'s service; the running ones that failed are sent `forget` when given.
    private static func send<Service, Request, Response>(
        _ method: ServiceMethod<Service, Request, Response>, _ request: Request, to client: ServiceClient<Service>?,
        orForget forget: ServiceMethod<Service, StorageContract.Empty, StorageContract.Empty>?, metadata: Metadata, timeout: Double?
    ) async throws {
        guard let client else { return }
        let replies = try await client.callEveryInstance(method, request, metadata: metadata, timeout: timeout)
        var failed = replies.compactMap { index, reply in reply.failure.map { (index, $0) } }.sorted { $0.0 < $1.0 }
        if let forget, !failed.isEmpty {
            let again = try await client.callEveryInstance(forget, .init(), metadata: metadata, timeout: timeout, only: failed.map(\.0))
            failed = again.compactMap { index, reply in reply.failure.map { (index, $0) } }.sorted { $0.0 < $1.0 }
        }
        if let (index, error) = failed.first {
            throw RPCError(error.code, "\(client.service) instance \(index) did not apply \(method.method): \(error.message)")
        }
    }
}
