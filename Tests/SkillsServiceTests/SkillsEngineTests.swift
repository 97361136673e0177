import Contracts
import Foundation
import Model
import Observability
import RPC
import SkillsCore
import Testing
@testable import SkillsService

/// The vocabulary tag that lets the gateway reuse stored skills: the same while the detector's state
/// is, different as soon as it learns (or is rebuilt).
@Suite struct SkillsEngineTests {
    private func engine() throws -> SkillsEngine {
        SkillsEngine(taxonomy: try SkillTaxonomy.bundled(), provider: nil, storage: nil, cacheTTL: 60,
                     logger: Logger(label: "test", sink: .discard))
    }

    private let request = SkillsContract.DetectRequest(title: "Leader election hangs", description: "The quorum never forms after a restart",
                                                       components: ["server"], labels: ["consensus"])

    @Test func theVocabularyChangesWhenTheDetectorLearnsAndNotOtherwise() async throws {
        let engine = try engine()
        let first = try await engine.detect(request, tenant: "acme", deadline: .after(seconds: 5))
        let second = try await engine.detect(request, tenant: "acme", deadline: .after(seconds: 5))
        let vocabulary = try #require(first.vocabulary)
        #expect(first.source == "local")
        #expect(second.vocabulary == vocabulary)
        #expect(first.contentHash == second.contentHash)
        #expect(first.resultKey == SkillsContract.resultKey(contentHash: first.contentHash, vocabulary: vocabulary))

        let resolved = Ticket(key: "ACME-1", project: "ACME", title: "Zookeeper ensemble split brain", assignee: "ana",
                              created: Date(timeIntervalSince1970: 0), resolved: Date(timeIntervalSince1970: 60))
        #expect(try await engine.learn([resolved], tenant: "acme") == 1)
        let afterLearning = try await engine.detect(request, tenant: "acme", deadline: .after(seconds: 5))
        #expect(afterLearning.vocabulary != vocabulary)
        #expect(afterLearning.contentHash == first.contentHash, "the text is the same")
        #expect(try await engine.learn([], tenant: "acme") == 0)
        #expect(try await engine.detect(request, tenant: "acme", deadline: .after(seconds: 5)).vocabulary == afterLearning.vocabulary)

        // Another engine (a restarted service) never reuses a tag.
        #expect(try await self.engine().detect(request, tenant: "acme", deadline: .after(seconds: 5)).vocabulary != afterLearning.vocabulary)
    }
    /// `skills.v1/TicketSkills`: the local detector's skills of each ticket, in order, without evidence words; a batch
    /// too large is refused naming the field.
    @Test func ticketSkillsAreTheLocalDetectorsInOrder() async throws {
        let engine = try engine()
        let tickets = [Ticket(key: "A-1", project: "A", title: "Pods stuck in CrashLoopBackOff", created: Date()),
                       Ticket(key: "A-2", project: "A", title: "Nothing to see", created: Date()),
                       Ticket(key: "A-3", project: "A", title: "CSS grid breaks on Safari", created: Date())]
        let skills = try await engine.skills(of: tickets, tenant: "acme")
        #expect(skills.count == 3)
        #expect(skills[0].first?.name == "kubernetes" && skills[2].contains { $0.name == "css" }, "\(skills)")
        #expect(skills.allSatisfy { $0.allSatisfy(\.evidence.isEmpty) })
        let local = try await engine.detect(.init(title: tickets[0].title, useModel: false), tenant: "acme", deadline: .after(seconds: 5))
        #expect(skills[0].map(\.name) == local.skills.map(\.name))
        let tooMany = Array(repeating: tickets[1], count: SkillsContract.TicketSkillsRequest.maxTickets + 1)
        await #expect(throws: RPCError.self) { _ = try await engine.skills(of: tooMany, tenant: "acme") }
        do {
            _ = try await engine.skills(of: tooMany, tenant: "acme")
        } catch let error as RPCError {
            #expect(error.code == .invalidArgument && error.message.hasPrefix("tickets:"), "\(error)")
        }
    }
}
