import Contracts
import Foundation
import Lifecycle
import Model
import Observability
import Posix
import RPC

/// Every tenant's model, loaded from storage's resolved tickets when first needed and kept while it is used: a tenant
/// idle for longer than the limit, or the least recently used ones when the models are estimated above the memory
/// budget, are dropped (with their snapshot) and loaded again on their next use (``TenantResidency``).
///
/// A kept model follows storage: when a ranking sees a newer data version than the model has followed, the tickets
/// written since (``StorageContract/changedTickets``) and the new overrides are learned in the background. So a
/// resolution or an override written through any pod's gateway (or by any process) reaches every pod's models without
/// a restart; in the pod that wrote it the gateway's `learn` call has usually taught it already, and following finds
/// nothing new.
final class TenantModels: Sendable {
    /// Versions re-read before the one followed: with several storage instances on PostgreSQL a write can commit after
    /// a later version was seen; learning is idempotent, so the overlap only costs a read.
    static let followOverlap: Int64 = 1_000
    /// The least time between two follows of one tenant.
    static let followInterval = 0.5

    private let storage: StorageClient
    private let ticketSkills: TicketSkillsReader
    private let residency: TenantResidency<TenantModel>
    private let logger: Logger

    init(storage: StorageClient, ticketSkills: TicketSkillsReader, limits: ResidencyLimits, logger: Logger,
         onDrop: @escaping @Sendable (String) -> Void = { _ in }) {
        self.storage = storage
        self.ticketSkills = ticketSkills
        self.logger = logger
        self.residency = TenantResidency(limits: limits, onDrop: onDrop)
    }

    func model(for tenant: String) async throws -> TenantModel {
        let storage = self.storage, ticketSkills = self.ticketSkills, logger = self.logger
        let residency = self.residency
        return try await residency.value(for: tenant) {
            try await TenantModels.bootstrap(tenant: tenant, storage: storage, ticketSkills: ticketSkills, logger: logger) {
                residency.drop(tenant)   // the older history could not be read: load it all again on the next use
            }
        }
    }

    /// The tenant's model if it is loaded or loading here (waiting for the load), else nil; never starts a load.
    func loadedModel(for tenant: String) async -> TenantModel? {
        await residency.loadedValue(for: tenant)
    }

    func drop(_ tenant: String) {
        residency.drop(tenant)
    }

    /// Drops idle tenants and enforces the budget now; returns the tenants dropped.
    @discardableResult
    func sweep(now: Double = Date().timeIntervalSince1970) async -> [String] { await residency.sweep(now: now) }

    /// Sweeps every `seconds` until the task is cancelled.
    func startSweeping(every seconds: Double) -> Task<Void, Never> { residency.startSweeping(every: seconds) }

    /// Drops every kept model whose tenant's data storage now gives in another epoch: another database, or a new data
    /// generation after a person's erasure in any pod. What the model learned of the erased person leaves memory now,
    /// not on the tenant's next use. Returns the tenants dropped.
    @discardableResult
    func dropSuperseded() async -> [String] {
        var dropped: [String] = []
        for tenant in residency.tenants {
            guard let model = await residency.loadedValue(for: tenant) else { continue }
            let epoch = model.following.withLock { $0.epoch }
            guard !epoch.isEmpty,
                  let version = try? await storage.call(StorageContract.dataVersion, .init(), metadata: Metadata(tenant: tenant, principal: "scoring")),
                  let current = version.parts?.epoch, current != epoch else { continue }
            drop(tenant)
            dropped.append(tenant)
        }
        return dropped
    }

    /// Runs ``dropSuperseded()`` every `seconds` until the task is cancelled.
    func startDroppingSuperseded(every seconds: Double) -> Task<Void, Never> {
        Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                guard let self else { return }
                await self.dropSuperseded()
            }
        }
    }

    /// Tenants kept and their estimated bytes.
    var usage: (tenants: Int, bytes: Int) { residency.usage }

    /// Starts learning, in the background, what storage has at data version `version` (read for a ranking) and the
    /// tenant's model has not followed yet; returns the task (nil when there is nothing to do or a follow already runs,
    /// which will go on to `version`). A version of another database epoch drops the model.
    @discardableResult
    func follow(_ tenant: String, model: TenantModel, version: String) -> Task<Void, Never>? {
        guard let (epoch, counter) = StorageContract.DataVersion(version: version).parts else { return nil }
        let start = model.following.withLock { state -> Bool? in
            if state.epoch.isEmpty { state.epoch = epoch }
            guard state.epoch == epoch else { return nil }
            state.wanted = max(state.wanted, counter)
            guard !state.running, counter > state.followed else { return false }
            state.running = true
            return true
        }
        guard let start else {
            drop(tenant)
            return nil
        }
        guard start else { return nil }
        return Task { [self] in
            while true {
                let target = model.following.withLock { $0.wanted }
                do {
                    try await catchUp(tenant, model: model, to: target)
                } catch {
                    logger.warning("following storage failed", ["error": .string((error as? RPCError)?.message ?? String(describing: type(of: error)))])
                }
                let again = model.following.withLock { state -> Bool in
                    state.running = state.wanted > state.followed
                    return state.running
                }
                guard again else { return }
                try? await Task.sleep(nanoseconds: UInt64(Self.followInterval * 1e9))
            }
        }
    }

    /// Learns the tickets written since the model's followed version and the overrides since its last one.
    private func catchUp(_ tenant: String, model: TenantModel, to target: Int64) async throws {
        let metadata = Metadata(tenant: tenant, principal: "scoring")
        let (followed, lastOverride) = model.following.withLock { ($0.followed, $0.lastOverride) }
        var since = max(0, followed - Self.followOverlap)
        var more = true
        while more {
            let page = try await storage.call(StorageContract.changedTickets, .init(since: since, limit: 1000), metadata: metadata)
            let fresh = model.unlearned(page.items)
            model.learn(fresh, skills: await ticketSkills.skills(of: fresh, tenant: tenant))
            since = page.last
            more = page.more
        }
        let (overrides, last) = try await Self.overrides(tenant: tenant, storage: storage, after: lastOverride)
        model.learnOverrides(overrides, skills: await ticketSkills.skills(of: overrides.map(\.ticket), tenant: tenant))
        model.following.withLock { state in
            state.followed = max(state.followed, target, since)
            state.lastOverride = max(state.lastOverride, last)
        }
    }

    /// The newest resolved tickets a new model learns before it ranks; the older ones are learned behind it
    /// (``learnOlder(_:after:into:storage:ticketSkills:logger:onFailure:)``).
    static let firstPart = 3_000

    /// Loads a tenant's model: the newest ``firstPart`` resolved tickets (recent work weighs most in every factor, so
    /// they rank nearly as the whole history does) and the overrides, then returns it to rank at once while a task
    /// learns the older tickets behind it, newest first. The model's values do not depend on the order tickets are
    /// learned in (decayed values take amounts older than their own time), so the model it ends with is the one a
    /// whole load makes. A failure reading the older history drops the tenant (`onIncomplete`): its next use loads it
    /// again.
    private static func bootstrap(tenant: String, storage: StorageClient, ticketSkills: TicketSkillsReader, logger: Logger,
                                  onIncomplete: @escaping @Sendable () -> Void) async throws -> TenantModel {
        let clock = ContinuousClock()
        let started = clock.now
        var phases: [String: Double] = [:]
        func phase(_ name: String, since: inout ContinuousClock.Instant) {
            let now = clock.now
            phases[name] = milliseconds(now - since)
            since = now
        }
        var mark = started
        let model = TenantModel()
        let metadata = Metadata(tenant: tenant, principal: "scoring")
        // The version before reading: whatever is written after it, following finds. (Unknown from a storage that
        // cannot say: the first version seen is then followed from the start.)
        let version = (try? await storage.call(StorageContract.dataVersion, .init(), metadata: metadata))?.parts
        let (newest, cursor) = try await readNewest(storage, metadata, after: nil, atLeast: firstPart)
        phase("readMs", since: &mark)
        // Small stages here: the skills service detects the next thousand while this process learns one.
        await learnInStages(model.unlearned(newest), into: model, ticketSkills: ticketSkills, tenant: tenant, stageSize: 1_000)
        phase("learnMs", since: &mark)
        // Overrides are a refinement: a failing decision log must not keep the model from loading.
        let (overrides, lastOverride) = (try? await overrides(tenant: tenant, storage: storage, after: 0)) ?? ([], 0)
        model.learnOverrides(overrides, skills: await ticketSkills.skills(of: overrides.map(\.ticket), tenant: tenant))
        model.following.withLock { state in
            state.epoch = version?.epoch ?? ""
            state.followed = version?.counter ?? 0
            state.lastOverride = lastOverride
        }
        phase("overridesMs", since: &mark)
        var fields: [String: LogValue] = ["tenant": .string(tenant), "tickets": .int(newest.count), "complete": .bool(cursor == nil),
                                           "ms": .double(milliseconds(clock.now - started))]
        for (name, value) in phases { fields[name] = .double(value) }
        logger.info("tenant model loaded", fields)
        if let cursor {
            Task.detached {
                await learnOlder(tenant, after: cursor, into: model, storage: storage, ticketSkills: ticketSkills, logger: logger,
                                 onFailure: onIncomplete)
            }
        } else {
            ProcessMemory.returnFreePages()   // the tickets and their skills, read and learned, are garbage now
        }
        return model
    }

    /// Learns the tenant's resolved tickets stored before `cursor` (of a newest-first listing), newest first, a few
    /// stages at a time, into a model that already ranks.
    private static func learnOlder(_ tenant: String, after cursor: String, into model: TenantModel, storage: StorageClient,
                                   ticketSkills: TicketSkillsReader, logger: Logger, onFailure: @Sendable () -> Void) async {
        let clock = ContinuousClock()
        let started = clock.now
        let metadata = Metadata(tenant: tenant, principal: "scoring")
        var cursor: String? = cursor
        var learned = 0
        do {
            while cursor != nil {
                let part: [Ticket]
                (part, cursor) = try await readNewest(storage, metadata, after: cursor, atLeast: 4 * learningStage)
                await learnInStages(model.unlearned(part), into: model, ticketSkills: ticketSkills, tenant: tenant)
                learned += part.count
            }
        } catch {
            logger.warning("tenant model incomplete: its older history could not be read; it loads again on its next use",
                           ["tenant": .string(tenant), "error": .string((error as? RPCError)?.message ?? String(describing: type(of: error)))])
            onFailure()
            return
        }
        logger.info("tenant model completed", ["tenant": .string(tenant), "tickets": .int(learned), "ms": .double(milliseconds(clock.now - started))])
        ProcessMemory.returnFreePages()   // the tickets and their skills, read and learned, are garbage now
    }

    /// The tenant's resolved tickets newest first, from `cursor` (nil: the newest), until at least `count` are read or
    /// none is left; and the cursor of the rest (nil: none left).
    private static func readNewest(_ storage: StorageClient, _ metadata: Metadata, after cursor: String?,
                                   atLeast count: Int) async throws -> ([Ticket], String?) {
        try await StorageContract.TicketPage.collect(from: cursor, atLeast: count) { cursor in
            try await storage.call(StorageContract.listTickets, .init(status: [.done], cursor: cursor, limit: 1000, newestFirst: true),
                                   metadata: metadata)
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    /// Tickets a stage of ``learnInStages(_:into:ticketSkills:tenant:stageSize:)`` holds.
    static let learningStage = 5_000

    /// Learns `tickets` in resolution order, a stage at a time, asking the skills service for the next stage's skills
    /// while this process learns the current one: the two run in different processes, so the slower of them sets the
    /// pace instead of their sum. Stage by stage in resolution order is the order ``TenantModel/learn(_:skills:)`` takes
    /// them in at once, so the model is the same.
    static func learnInStages(_ tickets: [Ticket], into model: TenantModel, ticketSkills: TicketSkillsReader, tenant: String,
                              stageSize: Int = learningStage) async {
        let ordered = tickets.filter { $0.resolved != nil && $0.assignee != nil }.sorted { $0.resolved! < $1.resolved! }
        let stages = stride(from: 0, to: ordered.count, by: stageSize).map { Array(ordered[$0..<min($0 + stageSize, ordered.count)]) }
        var next: Task<[String: [DetectedSkill]], Never>? = stages.first.map { first in
            Task { await ticketSkills.skills(of: first, tenant: tenant) }
        }
        for (index, stage) in stages.enumerated() {
            let skills = await next?.value ?? [:]
            next = index + 1 < stages.count ? Task { [stage = stages[index + 1]] in await ticketSkills.skills(of: stage, tenant: tenant) } : nil
            model.learn(stage, skills: skills)
        }
    }

    /// The overrides recorded in the decision log after decision `after` (at most 20,000), with their tickets, and the
    /// id of the last override read.
    private static func overrides(tenant: String, storage: StorageClient, after: Int64) async throws -> ([ScoringContract.Override], Int64) {
        let metadata = Metadata(tenant: tenant, principal: "scoring")
        var cursor: String?
        var decisions: [Decision] = []
        repeat {
            let page = try await storage.call(StorageContract.listDecisions, .init(cursor: cursor, limit: 1000, modes: [.override], afterID: after),
                                              metadata: metadata)
            decisions += page.items
            cursor = page.next
        } while cursor != nil && decisions.count < 20_000
        var overrides: [ScoringContract.Override] = []
        for decision in decisions {
            guard let from = decision.candidates.first?.person ?? decision.previous, from != decision.chosen,
                  let ticket = try? await storage.call(StorageContract.getTicket, .init(decision.ticket), metadata: metadata) else { continue }
            overrides.append(.init(ticket: ticket, from: from, to: decision.chosen, at: decision.at))
        }
        return (overrides, decisions.last?.id ?? after)
    }
}
