import Contracts
import Foundation
import Model
import Observability
import RPC
import Synchronization
import Testing
@testable import ScoringService

/// Scoring's handlers called in this process (no sockets): storage and skills are routers of the test's own,
/// serving a history in which alice and bob resolve storage work, carol web work, and dave Kubernetes work
/// that carries no component, so only the skills service's detection tells what it was about.
@Suite struct ScoringRouterTests {
    let now = Date()
    let tenant = Metadata(tenant: "acme", principal: "test")

    func history() -> [Ticket] {
        (0..<40).map { i in
            let (person, title, components) = [("alice", "storage compaction stalls", ["storage"]), ("bob", "storage snapshot slow", ["storage"]),
                                               ("carol", "web page layout broken", ["web"]), ("dave", "pod restarts in the cluster", [])][i % 4]
            var ticket = Ticket(key: "T-\(i + 1)", project: "T", title: "\(title) \(i)", components: components,
                                created: now.addingTimeInterval(Double(i - 60) * 86_400))
            ticket.assignee = person
            ticket.resolved = ticket.created.addingTimeInterval(86_400)
            ticket.status = .done
            return ticket
        }
    }

    /// How many times each tenant's tickets were listed (a model load).
    final class Loads: Sendable {
        let counts = Mutex<[String: Int]>([:])
        subscript(tenant: String) -> Int { counts.withLock { $0[tenant] ?? 0 } }
    }

    /// A storage router serving `history` as every tenant's resolved tickets, with an empty decision log.
    func storage(_ history: [Ticket], loads: Loads = Loads()) -> StorageClient {
        var router = Router()
        router.registerBlocking(StorageContract.listTickets) { request, context in
            loads.counts.withLock { $0[context.metadata.tenant ?? "", default: 0] += 1 }
            return .init(items: history.filter { request.status?.contains($0.status) ?? true }, next: nil)
        }
        router.registerBlocking(StorageContract.listDecisions) { _, _ in .init(items: [], next: nil) }
        return StorageClient(service: "storage", router: router, defaultTimeout: 60)
    }

    /// A skills router that finds `kubernetes` in tickets about pods or clusters.
    func skills() -> SkillsClient {
        var router = Router()
        router.registerBlocking(SkillsContract.ticketSkills) { request, _ in
            .init(skills: request.tickets.map { ticket in
                ticket.title.contains("pod") || ticket.title.contains("cluster") ? [DetectedSkill(name: "kubernetes", weight: 1, source: .taxonomy)] : []
            })
        }
        return SkillsClient(service: "skills", router: router, defaultTimeout: 60)
    }

    func scoring(history: [Ticket]) -> ScoringClient {
        ScoringClient(service: "scoring", router: ScoringServer.router(storage: storage(history), skills: skills(), residency: .unlimited,
                                                                      logger: Logger(label: "test", sink: .discard)),
                      defaultTimeout: 60)
    }

    func people() -> [Person] {
        ["alice", "bob", "carol", "dave"].map { id in
            var person = Person(id: id, displayName: id.capitalized)
            person.assignable = true
            return person
        }
    }

    func request(_ title: String, components: [String] = [], skills: [DetectedSkill] = []) throws -> ScoringContract.RankRequest {
        ScoringContract.RankRequest(ticket: Ticket(key: "T-900", project: "T", title: title, components: components, created: now),
                                    settings: ProjectSettings(), people: people(), limit: 4, now: now,
                                    skillsJSON: skills.isEmpty ? nil : Array(try JSONEncoder().encode(skills)))
    }

    @Test func aTenantLoadsFromStorageAndRanksWhoResolvedSuchWork() async throws {
        let scoring = scoring(history: history())
        let storageWork = try await scoring.call(ScoringContract.rank, try request("storage compaction stalls again", components: ["storage"]),
                                                 metadata: tenant)
        #expect(["alice", "bob"].contains(storageWork.candidates.first?.person ?? ""), "\(storageWork.candidates.map(\.person))")
        let webWork = try await scoring.call(ScoringContract.rank, try request("web page layout broken on mobile", components: ["web"]),
                                             metadata: tenant)
        #expect(webWork.candidates.first?.person == "carol", "\(webWork.candidates.map(\.person))")
    }

    @Test func skillsTheSkillsServiceDetectedInResolvedTicketsRankTheirResolver() async throws {
        let scoring = scoring(history: history())
        let kubernetes = DetectedSkill(name: "kubernetes", weight: 1, source: .taxonomy)
        let plain = try await scoring.call(ScoringContract.rank, try request("deployment keeps failing"), metadata: tenant)
        let ranking = try await scoring.call(ScoringContract.rank, try request("deployment keeps failing", skills: [kubernetes]), metadata: tenant)
        #expect(ranking.candidates.first?.person == "dave", "\(ranking.candidates.map(\.person))")
        let score = { (ranking: Ranking) in ranking.candidates.first { $0.person == "dave" }?.score ?? 0 }
        #expect(score(ranking) > score(plain) + 0.05, "dave: \(score(plain)) without the skill, \(score(ranking)) with it")
        let profile = try await scoring.call(ScoringContract.profile, .init(person: "dave", now: now), metadata: tenant)
        #expect(profile.items.contains { $0.skill == "kubernetes" }, "\(profile.items)")
    }

    @Test func learningReachesOnlyALoadedTenantAndCountsNewTicketsOnce() async throws {
        let history = history()
        let scoring = scoring(history: Array(history.prefix(36)))
        let late = Array(history.suffix(4))
        #expect(try await scoring.call(ScoringContract.learn, .init(tickets: late), metadata: tenant).learned == 0)
        _ = try await scoring.call(ScoringContract.rank, try request("storage snapshot slow"), metadata: tenant)
        #expect(try await scoring.call(ScoringContract.learn, .init(tickets: late), metadata: tenant).learned == 4)
        #expect(try await scoring.call(ScoringContract.learn, .init(tickets: late), metadata: tenant).learned == 0)
    }

    @Test func overTheMemoryBudgetTheLeastRecentlyUsedTenantIsDroppedAndLoadedAgainWhenNeeded() async throws {
        let loads = Loads()
        // A budget below two models: each load drops the other tenant.
        let oneModel = TenantModel()
        _ = oneModel.learn(history())
        let scoring = ScoringClient(service: "scoring", router: ScoringServer.router(
            storage: storage(history(), loads: loads), skills: skills(),
            residency: .init(idleSeconds: 0, budgetBytes: oneModel.estimatedBytes * 3 / 2), logger: Logger(label: "test", sink: .discard)),
            defaultTimeout: 60)
        let other = Metadata(tenant: "globex", principal: "test")
        let first = try await scoring.call(ScoringContract.rank, try request("storage compaction stalls again", components: ["storage"]), metadata: tenant)
        _ = try await scoring.call(ScoringContract.rank, try request("web page layout broken"), metadata: other)
        #expect(loads["acme"] == 1 && loads["globex"] == 1)
        // acme was dropped: learning does not reach it, and its next ranking loads it again, the same as before.
        #expect(try await scoring.call(ScoringContract.learn, .init(tickets: Array(history().suffix(2))), metadata: tenant).learned == 0)
        let again = try await scoring.call(ScoringContract.rank, try request("storage compaction stalls again", components: ["storage"]), metadata: tenant)
        #expect(loads["acme"] == 2)
        #expect(again.candidates.map(\.person) == first.candidates.map(\.person))
        #expect(oneModel.estimatedBytes > 10_000, "\(oneModel.estimatedBytes) bytes for 40 tickets")
    }

    @Test func aCallWithoutATenantIsInvalid() async throws {
        await #expect(throws: RPCError.invalidArgument("metadata `tenant` is required")) {
            try await scoring(history: []).call(ScoringContract.rank, try request("anything"))
        }
    }
}
