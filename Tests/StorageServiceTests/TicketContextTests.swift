import Contracts
import Foundation
import Harness
import JSONKit
import Observability
import RPC
import Testing
@testable import StorageService

/// `GetTicketContext` (what a recommendation reads in one call) and `AppendDecisionRecord` (a decision
/// whose candidates arrive as their stored JSON).
@Suite struct TicketContextTests {
    private func ticket(_ key: String) -> Ticket {
        Ticket(key: key, project: "ENG", title: "Fix the login page", description: "", components: [], labels: [],
               priority: nil, storyPoints: 2, status: .todo, assignee: nil, created: Date(timeIntervalSince1970: 1_700_000_000))
    }

    /// The ticket ENG-1 (and its project) in `store`'s tenant `acme`.
    private func seed(_ store: Store) async throws {
        _ = try await store.putTickets("acme", .init(tickets: [ticket("ENG-1")], createMissingProjects: true))
    }

    @Test(arguments: DatabaseEngine.allCases) func readsTicketProjectSettingSkillsAndDataVersionTogether(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            try await seed(store)
            var settings = ProjectSettings()
            settings.autoAssign = true
            _ = try await store.putProject("acme", Project(key: "ENG", name: "Engineering", settings: settings))

            var context = try await store.ticketContext("acme", .init(key: "ENG-1"))
            let stored = try await store.getTicket("acme", "ENG-1")
            #expect(context.ticket == stored)
            #expect(context.project == Project(key: "ENG", name: "Engineering", settings: settings))
            #expect(context.setting == nil && context.skills == nil)
            let version = try await store.dataVersion("acme").version
            #expect(context.dataVersion == version)

            try await store.putSetting("acme", .init(key: "jira.assignable.ENG", value: Data("[\"alice\"]".utf8)))
            let skills = [DetectedSkill(name: "css", weight: 0.5, source: .taxonomy, evidence: ["css"])]
            try await store.putTicketSkills("acme", .init(ticket: "ENG-1", skills: skills, contentHash: "h1"))
            context = try await store.ticketContext("acme", .init(key: "ENG-1", settingPrefix: "jira.assignable."))
            #expect(context.setting == Data("[\"alice\"]".utf8))
            var writer = JSONWriter()
            try writer.skills(skills)
            #expect(context.skills == .init(contentHash: "h1", json: writer.bytes))

            // A changed project is read as changed (the decoded settings are cached by content only).
            settings.autoAssign = false
            _ = try await store.putProject("acme", Project(key: "ENG", name: "Engineering", settings: settings))
            let reread = try await store.ticketContext("acme", .init(key: "ENG-1"))
            #expect(reread.project?.settings == settings)

            // A ticket write moves the version it reports.
            let before = context.dataVersion
            _ = try await store.putTickets("acme", .init(tickets: [ticket("ENG-2")]))
            let after = try await store.ticketContext("acme", .init(key: "ENG-1")).dataVersion
            let current = try await store.dataVersion("acme").version
            #expect(after != before && after == current)
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func missingTicketsAndOtherTenantsAreNotFound(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            try await seed(store)
            _ = try await store.putTenant("other", .init(name: "Other"))
            for (tenant, key) in [("acme", "ENG-404"), ("other", "ENG-1")] {
                await #expect(throws: RPCError.self) { _ = try await store.ticketContext(tenant, .init(key: key)) }
            }
            let error = await #expect(throws: RPCError.self) { _ = try await store.ticketContext("acme", .init(key: "ENG-1", settingPrefix: "")) }
            #expect(error?.code == .invalidArgument && error?.message.contains("settingPrefix") == true)
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func decisionRecordsStoreTheirCandidatesAndReadBackDecoded(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            try await seed(store)
            let candidates = [RankedCandidate(person: "alice", score: 71.5, factors: ["skillFit": .init(value: 0.9, weight: 35, contribution: 31.5)],
                                              reasons: ["knows css"]),
                              RankedCandidate(person: "bob", score: 12, factors: [:], reasons: [])]
            let decision = Decision(ticket: "ENG-1", project: "ENG", mode: .suggested, chosen: "alice", candidates: candidates,
                                    actor: "carol", at: Date(timeIntervalSince1970: 1_700_000_100), reason: "best fit")
            let id = try await store.appendDecision("acme", try StorageContract.DecisionRecord(decision))
            let listed = try await store.listDecisions("acme", .init(ticket: "ENG-1"))
            var expected = decision
            expected.id = id
            #expect(listed.items == [expected])
        }
    }

    @Test(arguments: DatabaseEngine.allCases) func malformedCandidatesJSONIsRefusedAndNothingIsWritten(engine: DatabaseEngine) async throws {
        try await withStore(on: engine) { store, _ in
            try await seed(store)
            let bad = ["", "{}", "[1]", "[{}", "[{\"a\":}]", "[{\"a\":1,}]", "[{\"a\":\"\u{1}\"}]", "[{}] x", "[{\"a\":01}]"]
            let tooMany = "[" + String(String(repeating: "{},", count: 501).dropLast()) + "]"
            for json in bad + [tooMany] {
                let record = StorageContract.DecisionRecord(ticket: "ENG-1", project: "ENG", mode: .suggested, chosen: nil,
                                                            candidatesJSON: Array(json.utf8), actor: "carol")
                let error = await #expect(throws: RPCError.self, "\(json.prefix(40))") { _ = try await store.appendDecision("acme", record) }
                #expect(error?.code == .invalidArgument && error?.message.hasPrefix("candidatesJSON") == true)
            }
            let invalidUTF8 = StorageContract.DecisionRecord(ticket: "ENG-1", project: "ENG", mode: .suggested, chosen: nil,
                                                             candidatesJSON: Array("[{\"a\":\"".utf8) + [0xC0, 0xAF] + Array("\"}]".utf8), actor: "carol")
            await #expect(throws: RPCError.self) { _ = try await store.appendDecision("acme", invalidUTF8) }
            #expect(try await store.listDecisions("acme", .init()).items.isEmpty)
        }
    }
}
