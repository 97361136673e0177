import Contracts
import Crypto
import Foundation
import Observability
import Posix
import RPC
import SkillsCore
import Synchronization

/// Detection for every tenant: the local detector (with the tenant's custom skills and learned
/// vocabulary), and the language model when configured, cached by content hash, falling back to the
/// local result on any model failure.
public final class SkillsEngine: Sendable {
    final class Tenant: Sendable {
        let detector: SkillDetector
        let learned: LearnedSkills
        let custom: [CustomSkill]
        /// Random per loaded state, so a reload (restart, new custom skills) never reuses a tag.
        private let instance = Digest.hex(Digest.randomBytes(6))
        /// Bumped by every learn.
        private let generation = Atomic<Int>(0)
        /// The keys of the tickets in `learned`, so a ticket told twice (or told while a load read it) counts once.
        private let learnedKeys: Mutex<Set<String>>

        init(detector: SkillDetector, learned: LearnedSkills, custom: [CustomSkill], learnedKeys: Set<String> = []) {
            self.detector = detector
            self.learned = learned
            self.custom = custom
            self.learnedKeys = Mutex(learnedKeys)
        }

        /// Learns the resolved tickets not learned before; returns how many.
        func learn(_ tickets: [Ticket]) -> Int {
            var count = 0
            for ticket in tickets where ticket.resolved != nil && learnedKeys.withLock({ $0.insert(ticket.key).inserted }) {
                learned.learn(title: ticket.title, description: ticket.description, components: ticket.components, labels: ticket.labels)
                count += 1
            }
            if count > 0 { learnedMore() }
            return count
        }

        /// Records tickets as learned without learning them: the history older than the vocabulary's window
        /// (``SkillsEngine/vocabularyWindow``), so that being told of one again does not learn it as new.
        func markLearned(_ keys: [String]) {
            learnedKeys.withLock { $0.formUnion(keys) }
        }

        /// The skills of a resolved ticket as scoring learns them (``SkillsContract/ticketSkills``): the local detector's,
        /// with the learned vocabulary (never the model, to keep its cost off history).
        func skills(of ticket: Ticket) -> [DetectedSkill] {
            detector.detect(title: ticket.title, description: ticket.description, components: ticket.components, labels: ticket.labels,
                            learned: learned)
        }

        /// The vocabulary tag of this state (``SkillsContract/DetectResponse/vocabulary``).
        var vocabulary: String { "\(instance)-\(generation.load(ordering: .acquiring))" }

        /// Marks the vocabulary changed.
        func learnedMore() { generation.add(1, ordering: .releasing) }
    }

    static let customSkillsSetting = "custom-skills"
    static let cacheNamespace = "model-skills"

    private let taxonomy: SkillTaxonomy
    private let base: SkillDetector
    private let provider: OpenAIProvider?
    private let storage: StorageClient?
    /// A tenant's state (loading or loaded), the data version it was loaded at, and whether a
    /// rebuild is under way.
    private struct Loaded {
        var state: Task<Tenant, any Error>
        var dataVersion: String?
        var loadedAt: UInt64
        /// When a detection, a learn or a read of skills last used it (monotonic nanoseconds).
        var lastUsed: UInt64
        var rebuilding = false
        /// Tickets learned while a rebuild runs: the rebuilt state, read from storage meanwhile, learns them too.
        var learnedDuringRebuild: [Ticket] = []
        /// Tells this entry from a later one for the same tenant (after a custom-skills change).
        let epoch = UInt64.random(in: 1...UInt64.max)
    }

    private let cacheTTL: Double
    private let refreshNanoseconds: UInt64
    private let logger: Logger
    private let tenants = Mutex<[String: Loaded]>([:])

    /// `vocabularyRefresh`: a tenant whose data changed gets its learned vocabulary rebuilt at most
    /// this often (seconds).
    public init(taxonomy: SkillTaxonomy, provider: OpenAIProvider?, storage: StorageClient?, cacheTTL: Double, vocabularyRefresh: Double = 300,
                logger: Logger) {
        self.taxonomy = taxonomy
        self.base = SkillDetector(taxonomy: taxonomy)
        self.provider = provider
        self.storage = storage
        self.cacheTTL = cacheTTL
        self.refreshNanoseconds = UInt64(max(0, vocabularyRefresh) * 1e9)
        self.logger = logger
    }

    /// Detects with the local detector only, without any tenant state (the CLI's in-process mode).
    public func detectLocally(_ request: SkillsContract.DetectRequest) -> [DetectedSkill] {
        base.detect(title: request.title, description: request.description, components: request.components, labels: request.labels)
    }

    /// Detects for `tenant`, asking the model when configured and allowed.
    public func detect(_ request: SkillsContract.DetectRequest, tenant: String, deadline: Deadline) async throws -> SkillsContract.DetectResponse {
        guard request.title.utf8.count <= 64 * 1024 else { throw RPCError.invalidArgument("title: longer than 65536 bytes") }
        guard request.description.utf8.count <= 1 << 20 else { throw RPCError.invalidArgument("description: longer than 1048576 bytes") }
        let state = try await self.tenant(tenant, dataVersion: request.dataVersion)
        // Read before detecting: a learn meanwhile then gives a tag this result does not claim.
        let vocabulary = state.vocabulary
        let local = state.detector.detect(title: request.title, description: request.description, components: request.components,
                                          labels: request.labels, learned: state.learned)
        let localHash = Digest.sha256Hex(request.hashedText)
        guard let provider, request.useModel ?? true else {
            return .init(skills: local, source: "local", contentHash: localHash, cached: false, vocabulary: vocabulary)
        }
        // Only title and description go to the model, so only they key its cache.
        let modelHash = Digest.sha256Hex(provider.configuration.model + "\u{1E}" + request.title + "\u{1E}" + request.description)
        let metadata = Metadata(tenant: tenant, principal: "skills")
        if let storage, let cached = try? await storage.call(StorageContract.cacheGet, .init(namespace: Self.cacheNamespace, key: modelHash),
                                                              metadata: metadata, deadline: deadline).value,
           let skills = try? JSONDecoder().decode([DetectedSkill].self, from: cached) {
            return .init(skills: merge(local: local, model: skills), source: "model", contentHash: modelHash, cached: true)
        }
        do {
            let skills = try await provider.detect(title: request.title, description: request.description, deadline: deadline)
            if let storage, let data = try? JSONEncoder().encode(skills) {
                _ = try? await storage.call(StorageContract.cachePut, .init(namespace: Self.cacheNamespace, key: modelHash, value: data,
                                                                           ttlSeconds: cacheTTL), metadata: metadata, deadline: deadline)
            }
            return .init(skills: merge(local: local, model: skills), source: "model", contentHash: modelHash, cached: false)
        } catch {
            return .init(skills: local, source: "local-fallback", modelError: error.description, contentHash: localHash, cached: false)
        }
    }

    /// Learns resolved tickets into the tenant's vocabulary, if the tenant is loaded here (a tenant not loaded reads
    /// them from storage, which has them before they are sent, when first needed); each ticket counts once.
    public func learn(_ tickets: [Ticket], tenant: String) async throws -> Int {
        let task = tenants.withLock { tenants -> Task<Tenant, any Error>? in
            guard var loaded = tenants[tenant] else { return nil }
            if loaded.rebuilding {
                loaded.learnedDuringRebuild += tickets
                tenants[tenant] = loaded
            }
            return loaded.state
        }
        guard let task, let state = try? await task.value else { return 0 }
        return state.learn(tickets)
    }

    /// The skills each of `tickets` needs for the local detector with the tenant's state (``Tenant/skills(of:)``), in order,
    /// without their evidence words (what reads them learns from names and weights).
    public func skills(of tickets: [Ticket], tenant: String) async throws -> [[DetectedSkill]] {
        let limit = SkillsContract.TicketSkillsRequest.maxTickets
        guard tickets.count <= limit else { throw RPCError.invalidArgument("tickets: at most \(limit) per call, got \(tickets.count)") }
        for (index, ticket) in tickets.enumerated() {
            guard ticket.title.utf8.count <= 64 * 1024 else { throw RPCError.invalidArgument("tickets[\(index)].title: longer than 65536 bytes") }
            guard ticket.description.utf8.count <= 1 << 20 else {
                throw RPCError.invalidArgument("tickets[\(index)].description: longer than 1048576 bytes")
            }
        }
        let state = try await self.tenant(tenant)
        return tickets.map { ticket in state.skills(of: ticket).map { DetectedSkill(name: $0.name, weight: $0.weight, source: $0.source) } }
    }

    /// Forgets the tenants unused for longer than `seconds` (their vocabulary is loaded again from storage when next
    /// needed), so one process can serve many tenants; returns them.
    @discardableResult
    public func dropIdle(olderThan seconds: Double, now: UInt64 = Monotonic.nanoseconds()) -> [String] {
        let limit = UInt64(max(0, seconds) * 1e9)
        let dropped = tenants.withLock { tenants -> [String] in
            let idle = tenants.filter { now > $0.value.lastUsed && now - $0.value.lastUsed > limit }.map(\.key)
            for tenant in idle { tenants.removeValue(forKey: tenant) }
            return idle
        }
        if !dropped.isEmpty { logger.info("idle tenants dropped", ["tenants": .int(dropped.count)]) }
        return dropped
    }

    /// The tenants kept here (loaded or loading).
    public var keptTenants: Int { tenants.withLock { $0.count } }

    /// Forgets the tenant (its storage was purged): the next use loads it from storage again, which is then empty.
    public func forget(tenant: String) {
        _ = tenants.withLock { $0.removeValue(forKey: tenant) }
    }

    /// Replaces the tenant's custom skills (validated against the taxonomy) and stores them.
    public func putCustomSkills(_ custom: [CustomSkill], tenant: String) async throws -> [CustomSkill] {
        do {
            _ = try taxonomy.adding(custom)
        } catch let error as SkillsError {
            throw RPCError.invalidArgument(String(describing: error))
        }
        guard let storage else { throw RPCError(.failedPrecondition, "no storage to keep custom skills in") }
        _ = try await storage.call(StorageContract.putSetting, .init(key: Self.customSkillsSetting, value: try JSONEncoder().encode(custom)),
                                   metadata: Metadata(tenant: tenant, principal: "skills"))
        _ = tenants.withLock { $0.removeValue(forKey: tenant) }
        return custom
    }

    /// The tenant's custom skills.
    public func customSkills(tenant: String) async throws -> [CustomSkill] {
        try await self.tenant(tenant).custom
    }

    private func merge(local: [DetectedSkill], model: [DetectedSkill]) -> [DetectedSkill] {
        var byName: [String: DetectedSkill] = [:]
        for skill in local + model {
            if let existing = byName[skill.name], existing.weight >= skill.weight { continue }
            byName[skill.name] = skill
        }
        return byName.values.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.name < $1.name }
    }

    /// The tenant's state, loading it on first use. When `dataVersion` is newer than the state's and
    /// the state is older than the refresh period, a rebuild starts in the background (learning from
    /// every resolved ticket again, so imported history counts whatever its dates); detections use the
    /// current state until the rebuilt one replaces it.
    private func tenant(_ id: String, dataVersion: String? = nil) async throws -> Tenant {
        let now = Monotonic.nanoseconds()
        let (task, rebuild, epoch) = tenants.withLock { tenants -> (Task<Tenant, any Error>, Bool, UInt64) in
            guard var loaded = tenants[id] else {
                let task = Task { try await self.load(id) }
                let loaded = Loaded(state: task, dataVersion: dataVersion, loadedAt: now, lastUsed: now)
                tenants[id] = loaded
                return (task, false, loaded.epoch)
            }
            loaded.lastUsed = max(loaded.lastUsed, now)
            tenants[id] = loaded
            guard let dataVersion, dataVersion != loaded.dataVersion, !loaded.rebuilding,
                  now &- loaded.loadedAt >= refreshNanoseconds else { return (loaded.state, false, loaded.epoch) }
            loaded.rebuilding = true
            tenants[id] = loaded
            return (loaded.state, true, loaded.epoch)
        }
        if rebuild, let dataVersion { Task { await self.rebuild(id, dataVersion: dataVersion, epoch: epoch) } }
        do {
            return try await task.value
        } catch {
            // Storage unreachable: detect without the tenant's learned and custom skills this time.
            _ = tenants.withLock { $0.removeValue(forKey: id) }
            logger.warning("tenant skills unavailable; using the base taxonomy", ["error": .string(String(describing: type(of: error)))])
            return Tenant(detector: base, learned: LearnedSkills(), custom: [])
        }
    }

    private func rebuild(_ id: String, dataVersion: String, epoch: UInt64) async {
        let fresh = try? await load(id)
        tenants.withLock { tenants in
            guard var loaded = tenants[id], loaded.epoch == epoch else { return }  // replaced meanwhile (custom skills)
            if let fresh {
                _ = fresh.learn(loaded.learnedDuringRebuild)
                loaded.state = Task { fresh }
                loaded.dataVersion = dataVersion
            }
            loaded.loadedAt = Monotonic.nanoseconds()
            loaded.rebuilding = false
            loaded.learnedDuringRebuild = []
            tenants[id] = loaded
        }
    }

    private func load(_ id: String) async throws -> Tenant {
        let started = Monotonic.nanoseconds()
        let learned = LearnedSkills()
        guard let storage else { return Tenant(detector: base, learned: learned, custom: []) }
        let metadata = Metadata(tenant: id, principal: "skills")
        var custom: [CustomSkill] = []
        if let data = try await storage.call(StorageContract.getSetting, .init(Self.customSkillsSetting), metadata: metadata, timeout: 3).value {
            custom = (try? JSONDecoder().decode([CustomSkill].self, from: data)) ?? []
        }
        let detector = custom.isEmpty ? base : SkillDetector(taxonomy: (try? taxonomy.adding(custom)) ?? taxonomy)
        var (resolved, cursor) = try await StorageContract.TicketPage.collect(atLeast: Self.vocabularyWindow) { cursor in
            try await storage.call(StorageContract.listTickets, .init(status: [.done], cursor: cursor, limit: 1000, newestFirst: true),
                                   metadata: metadata, timeout: 30)
        }
        let state = Self.build(detector: detector, custom: custom, resolved: resolved)
        let learnedCount = resolved.count
        resolved = []
        logger.info("tenant skills loaded", ["learned": .int(learnedCount), "custom": .int(custom.count), "complete": .bool(cursor == nil),
                                              "ms": .int(Int((Monotonic.nanoseconds() &- started) / 1_000_000))])
        if let cursor {
            let logger = self.logger
            Task.detached { await Self.markOlderLearned(id, after: cursor, in: state, storage: storage, logger: logger) }
        } else {
            ProcessMemory.returnFreePages()   // the tickets read are garbage now: only the vocabulary learned from them stays
        }
        return state
    }

    /// The newest resolved tickets a tenant's vocabulary is learned from when it loads (in resolution order): a ticket
    /// weighs half as much 500 tickets later (``LearnedSkills/Configuration/halfLife``), so the ones before these would
    /// weigh under 2^-16 (a 65,000th) in every association; all they could still change is whether a rare term was seen the
    /// `minTermCount` times it needs. The older tickets' keys are read behind the load
    /// (``markOlderLearned(_:after:in:storage:logger:)``).
    static let vocabularyWindow = 8_000

    /// Records the tenant's resolved tickets stored before `cursor` (of a newest-first listing) as learned, so that being
    /// told of one again does not learn it as new. A failure leaves them unrecorded: such a ticket told again is
    /// learned once more, which only weighs it as recent.
    private static func markOlderLearned(_ tenant: String, after cursor: String, in state: Tenant, storage: StorageClient, logger: Logger) async {
        let metadata = Metadata(tenant: tenant, principal: "skills")
        var cursor: String? = cursor
        do {
            while cursor != nil {
                let page = try await storage.call(StorageContract.listTickets, .init(status: [.done], cursor: cursor, limit: 1000, newestFirst: true),
                                                  metadata: metadata, timeout: 30)
                state.markLearned(page.items.map(\.key))
                cursor = page.next
            }
        } catch {
            logger.warning("tenant's older tickets not recorded as learned", ["error": .string(String(describing: type(of: error)))])
        }
        ProcessMemory.returnFreePages()   // the pages read are garbage now
    }

    /// A tenant's state learned from its resolved tickets: the vocabulary from all of them (in resolution order).
    static func build(detector: SkillDetector, custom: [CustomSkill], resolved: [Ticket]) -> Tenant {
        let learned = LearnedSkills()
        for ticket in resolved.sorted(by: { ($0.resolved ?? $0.updated) < ($1.resolved ?? $1.updated) }) {
            learned.learn(title: ticket.title, description: ticket.description, components: ticket.components, labels: ticket.labels)
        }
        return Tenant(detector: detector, learned: learned, custom: custom, learnedKeys: Set(resolved.map(\.key)))
    }
}
