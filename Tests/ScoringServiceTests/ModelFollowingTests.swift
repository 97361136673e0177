import Contracts
import Foundation
import Model
import Observability
import RPC
import Synchronization
import Testing
@testable import ScoringService

/// A kept model learns what storage got from elsewhere (another pod) once a ranking sees a newer data version.
@Suite struct ModelFollowingTests {
    /// Storage as another pod writes it: tickets with the version of their last write, decisions with ids.
    final class FakeStorage: Sendable {
        struct State {
            var epoch = "db1"
            var counter: Int64 = 0
            var tickets: [(ticket: Ticket, changed: Int64)] = []
            var decisions: [Decision] = []
            var changedReads = 0
        }
        let state = Mutex(State())

        func write(_ ticket: Ticket) {
            state.withLock { state in
                state.counter += 1
                state.tickets.removeAll { $0.ticket.key == ticket.key }
                state.tickets.append((ticket, state.counter))
            }
        }

        func override(_ key: String, from: String, to: String) {
            state.withLock { state in
                let id = Int64(state.decisions.count + 1)
                state.decisions.append(Decision(id: id, ticket: key, project: "T", mode: .override, chosen: to, previous: from, actor: "lead"))
            }
        }

        var version: String { state.withLock { "\($0.epoch)-\($0.counter)" } }

        var client: StorageClient {
            var router = Router()
            router.registerBlocking(StorageContract.dataVersion) { [self] _, _ in .init(version: version) }
            router.registerBlocking(StorageContract.listTickets) { [self] request, _ in
                .init(items: state.withLock { $0.tickets.map(\.ticket) }.filter { request.status?.contains($0.status) ?? true }, next: nil)
            }
            router.registerBlocking(StorageContract.changedTickets) { [self] request, _ in
                state.withLock { state in
                    state.changedReads += 1
                    let changed = state.tickets.filter { $0.changed > request.since }.sorted { $0.changed < $1.changed }
                    return .init(items: changed.map(\.ticket), last: changed.last?.changed ?? request.since, more: false)
                }
            }
            router.registerBlocking(StorageContract.listDecisions) { [self] request, _ in
                #expect(request.modes == [.override])
                return .init(items: state.withLock { $0.decisions }.filter { $0.id > (request.afterID ?? 0) }, next: nil)
            }
            router.registerBlocking(StorageContract.getTicket) { [self] request, _ in
                guard let ticket = state.withLock({ $0.tickets.first { $0.ticket.key == request.key }?.ticket }) else {
                    throw RPCError.notFound("ticket not found")
                }
                return ticket
            }
            return StorageClient(service: "storage", router: router, defaultTimeout: 60)
        }
    }

    let now = Date()

    func resolved(_ key: String, by person: String, component: String) -> Ticket {
        var ticket = Ticket(key: key, project: "T", title: "\(component) trouble \(key)", components: [component],
                            created: now.addingTimeInterval(-10 * 86_400))
        ticket.assignee = person
        ticket.status = .done
        ticket.resolved = now.addingTimeInterval(-86_400)
        return ticket
    }

    func models(_ storage: FakeStorage) -> TenantModels {
        var skills = Router()
        skills.registerBlocking(SkillsContract.ticketSkills) { request, _ in .init(skills: request.tickets.map { _ in [] }) }
        let logger = Logger(label: "test", sink: .discard)
        return TenantModels(storage: storage.client,
                            ticketSkills: TicketSkillsReader(skills: SkillsClient(service: "skills", router: skills, defaultTimeout: 60), logger: logger),
                            limits: .unlimited, logger: logger)
    }

    func skill(_ model: TenantModel, _ person: String, _ skill: String) -> Double {
        model.profile(of: person, now: now).first { $0.skill == skill }?.learned ?? 0
    }

    @Test func resolutionsAndOverridesWrittenElsewhereAreLearnedOnceANewerVersionIsSeen() async throws {
        let storage = FakeStorage()
        storage.write(resolved("T-1", by: "alice", component: "storage"))
        let models = models(storage)
        let model = try await models.model(for: "acme")
        #expect(skill(model, "bob", "component:web") == 0 && skill(model, "bob", "web") == 0)

        // Another pod imports bob's web work and records an override of T-1 away from alice.
        for index in 2...4 { storage.write(resolved("T-\(index)", by: "bob", component: "web")) }
        storage.override("T-1", from: "alice", to: "bob")
        let before = model.profile(of: "alice", now: now).first { $0.skill.hasSuffix("storage") }?.overrides ?? 0
        await models.follow("acme", model: model, version: storage.version)?.value
        let learnedWeb = model.profile(of: "bob", now: now).contains { $0.skill.hasSuffix("web") && $0.learned > 0 }
        #expect(learnedWeb, "\(model.profile(of: "bob", now: now))")
        let after = model.profile(of: "alice", now: now).first { $0.skill.hasSuffix("storage") }?.overrides ?? 0
        #expect(after > before, "the override away from alice was learned: \(before) → \(after)")

        // Nothing newer: no read. The same version again: no read either.
        let reads = storage.state.withLock { $0.changedReads }
        #expect(models.follow("acme", model: model, version: storage.version) == nil)
        #expect(storage.state.withLock { $0.changedReads } == reads)
    }

    @Test func aVersionOfAnotherDatabaseEpochDropsTheModel() async throws {
        let storage = FakeStorage()
        storage.write(resolved("T-1", by: "alice", component: "storage"))
        let models = models(storage)
        let model = try await models.model(for: "acme")
        #expect(models.follow("acme", model: model, version: "restored-1") == nil)
        #expect(await models.loadedModel(for: "acme") == nil)
    }

    @Test func aNewGenerationInStorageDropsTheModelWithoutARanking() async throws {
        let storage = FakeStorage()
        storage.write(resolved("T-1", by: "alice", component: "storage"))
        let models = models(storage)
        _ = try await models.model(for: "acme")
        _ = try await models.model(for: "beta")
        #expect(await models.dropSuperseded().isEmpty)
        #expect(await models.loadedModel(for: "acme") != nil)
        // A person erased in another pod: storage's epoch for the tenant gains a generation.
        storage.state.withLock { $0.epoch = "db1/g1" }
        #expect(Set(await models.dropSuperseded()) == ["acme", "beta"])
        #expect(await models.loadedModel(for: "acme") == nil)
    }
}
