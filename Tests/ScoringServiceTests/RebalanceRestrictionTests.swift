import Contracts
import Foundation
import Observability
import Testing
@testable import ScoringService

/// `scoring.v1/Rebalance` with `restrictTo` (Jira's assignable people of a synced project): the tickets
/// that must move go only to those people, through the same restriction rankings use.
@Suite struct RebalanceRestrictionTests {
    let now = Date()
    func day(_ n: Double) -> Date { now.addingTimeInterval(n * 86_400) }

    /// alice and bob resolved storage work, carol web work, dave declares storage; alice has left (inactive)
    /// with two open storage tickets.
    func request(restrictTo: [String]?) -> (ScoringContract.RebalanceRequest, TenantModel) {
        let model = TenantModel()
        var history: [Ticket] = []
        for i in 0..<30 {
            let (person, title, component) = [("alice", "storage compaction stalls", "storage"), ("bob", "storage snapshot slow", "storage"),
                                              ("carol", "web page layout broken", "web")][i % 3]
            var ticket = Ticket(key: "T-\(i + 1)", project: "T", title: "\(title) \(i)", components: [component], created: day(Double(i) - 40))
            ticket.assignee = person
            ticket.resolved = day(Double(i) - 39)
            ticket.status = .done
            history.append(ticket)
        }
        #expect(model.learn(history) == 30)
        var alice = Person(id: "alice", displayName: "Alice")
        alice.active = false
        var dave = Person(id: "dave", displayName: "Dave")
        dave.declaredSkills = [.init(skill: "storage", level: 3)]
        let people = [alice, Person(id: "bob", displayName: "Bob"), Person(id: "carol", displayName: "Carol"), dave]
        var open: [Ticket] = []
        for key in ["T-100", "T-101"] {
            var ticket = Ticket(key: key, project: "T", title: "storage compaction stalls again", components: ["storage"], storyPoints: 1,
                                created: day(-2))
            ticket.assignee = "alice"
            ticket.status = .todo
            ticket.updated = day(-1)
            open.append(ticket)
        }
        var settings = ProjectSettings()
        settings.candidatePool = "all"
        return (.init(project: "T", settings: settings, people: people, tickets: open, now: now, restrictTo: restrictTo), model)
    }

    /// No skills service here: tickets are ranked by their components.
    let noSkills = TicketSkillsReader(skills: nil, logger: Logger(label: "test", sink: .discard))

    @Test func movesGoOnlyToTheAllowedPeople() async throws {
        let (free, model) = request(restrictTo: nil)
        let unrestricted = try await RebalanceHandler.handle(free, model: model, skills: noSkills, tenant: "t")
        #expect(unrestricted.moves.count == 2)
        #expect(unrestricted.moves.allSatisfy { $0.to == "bob" }, "bob fits storage work best: \(unrestricted.moves)")

        let (restricted, sameModel) = request(restrictTo: ["alice", "carol", "dave"])
        let plan = try await RebalanceHandler.handle(restricted, model: sameModel, skills: noSkills, tenant: "t")
        #expect(plan.moves.count + plan.unresolved.count == 2)
        #expect(!plan.moves.isEmpty)
        #expect(plan.moves.allSatisfy { ["carol", "dave"].contains($0.to) }, "\(plan.moves)")
        // Nobody allowed at all: the work stays, reported as unresolved.
        let (nobody, thirdModel) = request(restrictTo: [])
        let stuck = try await RebalanceHandler.handle(nobody, model: thirdModel, skills: noSkills, tenant: "t")
        #expect(stuck.moves.isEmpty && stuck.unresolved.map(\.ticket) == ["T-100", "T-101"])
    }
}
